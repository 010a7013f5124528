package io.renderrelay.e2e.demo;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.storage.S3ClientFactory;
import java.util.OptionalLong;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Looks up object sizes in S3 with a HEAD request, through the worker's own client factory and
 * storage settings (the demo checks what the worker wrote, with the worker's credentials).
 */
public final class S3Sizes implements AutoCloseable {

  private final S3Client s3;

  /** Builds an S3 client from the worker's storage settings. */
  S3Sizes(StorageSettings storage) {
    this.s3 = new S3ClientFactory(storage, S3ClientFactory.Tuning.defaults()).create();
  }

  /** The object's size, empty when it does not exist. */
  public OptionalLong size(String bucket, String key) {
    try {
      return OptionalLong.of(s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
    } catch (NoSuchKeyException e) {
      return OptionalLong.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return OptionalLong.empty();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    s3.close();
  }
}
