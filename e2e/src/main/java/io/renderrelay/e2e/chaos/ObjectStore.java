package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.s3.EmbeddedS3;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads back what the workers stored: every key of the bucket, and each object's bytes and
 * metadata.
 */
final class ObjectStore implements AutoCloseable {

  /**
   * An object's ETag (unquoted, lower case), the SHA-256 and MD5 of its bytes (hex).
   *
   * @param etag what S3 says the object is: the MD5 of its bytes for a single PUT
   */
  public record Stored(String etag, String contentSha256, String contentMd5) {
    /** Whether the ETag is the MD5 of the bytes S3 returns (always so for a single PUT). */
    public boolean etagMatchesContent() {
      return etag.contains("-") || etag.equals(contentMd5);
    }
  }

  private final S3Client s3;
  private final String bucket;

  public ObjectStore(EmbeddedS3 server, String bucket) {
    this.bucket = bucket;
    this.s3 =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(Region.of(server.region()))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  /** Every key in the bucket. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build())
        .contents()
        .forEach((S3Object o) -> keys.add(o.key()));
    return keys;
  }

  /** The object's ETag and the checksums of its bytes, read in full. */
  public Stored read(String key) {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      String etag = in.response().eTag().replace("\"", "").toLowerCase(java.util.Locale.ROOT);
      MessageDigest sha = digest("SHA-256");
      MessageDigest md5 = digest("MD5");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        sha.update(buf, 0, n);
        md5.update(buf, 0, n);
      }
      return new Stored(
          etag, HexFormat.of().formatHex(sha.digest()), HexFormat.of().formatHex(md5.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no " + name + " in this JVM", e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
