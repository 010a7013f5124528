package io.renderrelay.worker.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** How an S3 failure reads in a {@link CopyException}, said once for every step of a copy. */
final class S3Errors {
  private S3Errors() {}

  static CopyException.Retryable retryable(String op, String bucket, String key, SdkException e) {
    String detail =
        e instanceof S3Exception s3e
            ? "HTTP "
                + s3e.statusCode()
                + " "
                + (s3e.awsErrorDetails() == null ? "" : s3e.awsErrorDetails().errorCode())
            : e.getClass().getSimpleName() + ": " + e.getMessage();
    return new CopyException.Retryable(
        "S3 " + op + " on " + uri(bucket, key) + " failed: " + detail, e);
  }

  static boolean isPreconditionFailed(SdkException e) {
    return e instanceof S3Exception s3e && s3e.statusCode() == 412;
  }

  static String uri(String bucket, String key) {
    return "s3://" + bucket + "/" + key;
  }
}
