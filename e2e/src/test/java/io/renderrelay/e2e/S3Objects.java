package io.renderrelay.e2e;

import io.renderrelay.devstack.DevStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Reads objects back from the embedded S3 with the AWS SDK, as a downstream transcoder would, and
 * digests them while streaming (no object is held in memory).
 */
final class S3Objects implements AutoCloseable {

  /** What was downloaded: size, hex SHA-256 and the stored content type. */
  record Stored(long sizeBytes, String sha256, String contentType) {}

  private final S3Client s3;
  private final String bucket;

  S3Objects(DevStack stack) {
    this(stack, stack.bucket());
  }

  /** A reader of {@code bucket} on the stack's S3 server. */
  S3Objects(DevStack stack, String bucket) {
    this.bucket = bucket;
    this.s3 =
        S3Client.builder()
            .endpointOverride(stack.s3().endpoint())
            .region(Region.of(stack.s3().region()))
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
            .build();
  }

  String bucket() {
    return bucket;
  }

  /** The SDK client, for other reads (listings, open multipart uploads). */
  S3Client client() {
    return s3;
  }

  /** Downloads {@code key} from the stack's bucket and digests it. */
  Stored download(String key) {
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long size = digest(in, sha);
      return new Stored(size, HexFormat.of().formatHex(sha.digest()), in.response().contentType());
    } catch (IOException e) {
      throw new UncheckedIOException("download of s3://" + bucket + "/" + key + " failed", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long digest(InputStream in, MessageDigest sha) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long size = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      sha.update(buf, 0, n);
      size += n;
    }
    return size;
  }

  @Override
  public void close() {
    s3.close();
  }
}
