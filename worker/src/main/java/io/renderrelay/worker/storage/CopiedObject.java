package io.renderrelay.worker.storage;

/** An object that is in S3 and verified. */
public record CopiedObject(
    String bucket, String key, long sizeBytes, String sha256Hex, String contentType) {

  public String uri() {
    return "s3://" + bucket + "/" + key;
  }
}
