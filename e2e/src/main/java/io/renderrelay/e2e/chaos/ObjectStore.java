package io.renderrelay.e2e.chaos;

import io.renderrelay.devstack.s3.EmbeddedS3;
import java.io.IOException;
import java.io.InputStream;
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
public final class ObjectStore implements AutoCloseable {

  /** An object's {@code x-amz-meta-sha256} and the SHA-256 of its bytes (hex). */
  public record Stored(String metadataSha256, String contentSha256) {}

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

  /** The object's metadata checksum and the checksum of its bytes, read in full. */
  public Stored read(String key) {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      String meta = in.response().metadata().getOrDefault("sha256", "(none)");
      return new Stored(meta, sha256(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read s3://" + bucket + "/" + key, e);
    }
  }

  private static String sha256(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
