package io.renderrelay.devstack.s3;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the embedded S3 server.
 *
 * @param port the HTTP port on 127.0.0.1; 0 picks a free port at the first start, kept for restarts
 * @param dataDir where objects live on disk; empty means a temporary directory that {@link
 *     EmbeddedS3#close()} deletes (a given directory is kept)
 * @param accessKey the only accepted access key id
 * @param secretKey the secret for {@code accessKey}; never printed
 */
public record EmbeddedS3Config(
    int port, Optional<Path> dataDir, String accessKey, String secretKey) {
  /** The development access key id. */
  public static final String DEFAULT_ACCESS_KEY = "render-relay";

  /** The development secret (not a real secret: local loopback only). */
  public static final String DEFAULT_SECRET_KEY = "render-relay-secret";

  /** Validates the arguments. */
  public EmbeddedS3Config {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("s3 port must be 0 (free port) or 1..65535: " + port);
    }
    Objects.requireNonNull(dataDir, "dataDir");
    if (accessKey == null || accessKey.isBlank()) {
      throw new IllegalArgumentException("s3 access key must not be blank");
    }
    if (secretKey == null || secretKey.isBlank()) {
      throw new IllegalArgumentException("s3 secret key must not be blank");
    }
  }

  /** A server on a free port, temporary storage and the development credentials. */
  public static EmbeddedS3Config defaults() {
    return new EmbeddedS3Config(0, Optional.empty(), DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY);
  }

  /** This config with the given port. */
  public EmbeddedS3Config withPort(int newPort) {
    return new EmbeddedS3Config(newPort, dataDir, accessKey, secretKey);
  }

  /** This config with the given data directory. */
  public EmbeddedS3Config withDataDir(Path dir) {
    return new EmbeddedS3Config(port, Optional.of(dir), accessKey, secretKey);
  }

  /** This config with other credentials. */
  public EmbeddedS3Config withCredentials(String newAccessKey, String newSecretKey) {
    return new EmbeddedS3Config(port, dataDir, newAccessKey, newSecretKey);
  }

  @Override
  public String toString() {
    return "EmbeddedS3Config[port="
        + port
        + ", dataDir="
        + dataDir
        + ", accessKey="
        + accessKey
        + ", secretKey=***]";
  }
}
