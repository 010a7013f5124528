package io.renderrelay.worker.storage;

import java.util.Objects;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The copier's two S3 clients, built once ({@link S3ClientFactory#createPair}) with the same
 * settings over one connection pool: {@link #s3()} for every call (a streaming body goes in
 * aws-chunked encoding with its checksum as a trailer), {@link #plainPayload()} for the PUT of a
 * small output held in memory (plain body, checksum in a header). Closing closes both and the pool.
 */
public final class S3Clients implements AutoCloseable {
  private final S3Client s3;
  private final S3Client plainPayload;
  private final SdkHttpClient http;

  S3Clients(S3Client s3, S3Client plainPayload, SdkHttpClient http) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.plainPayload = Objects.requireNonNull(plainPayload, "plainPayload");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** The client for every call but a small PUT. */
  public S3Client s3() {
    return s3;
  }

  /** The client whose PUTs send their body without aws-chunked encoding. */
  public S3Client plainPayload() {
    return plainPayload;
  }

  @Override
  public void close() {
    try (http;
        plainPayload) {
      s3.close();
    }
  }
}
