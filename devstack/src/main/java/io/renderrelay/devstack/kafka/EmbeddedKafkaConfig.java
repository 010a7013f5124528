package io.renderrelay.devstack.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run the embedded KRaft broker.
 *
 * @param port the client (PLAINTEXT) port on 127.0.0.1; 0 picks a free port at the first start,
 *     which is then kept for restarts
 * @param logDir where the broker keeps its logs and metadata; empty means a temporary directory
 *     that {@link EmbeddedKafka#close()} deletes (a given directory is kept)
 * @param brokerProps extra broker properties; they override the defaults of {@link EmbeddedKafka}
 */
public record EmbeddedKafkaConfig(
    int port, Optional<Path> logDir, Map<String, String> brokerProps) {

  /** Validates and copies the arguments. */
  public EmbeddedKafkaConfig {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("kafka port must be 0 (free port) or 1..65535: " + port);
    }
    Objects.requireNonNull(logDir, "logDir");
    brokerProps = Map.copyOf(Objects.requireNonNull(brokerProps, "brokerProps"));
  }

  /** A broker on a free port with a temporary log directory. */
  public static EmbeddedKafkaConfig defaults() {
    return new EmbeddedKafkaConfig(0, Optional.empty(), Map.of());
  }

  /** This config with the given client port. */
  public EmbeddedKafkaConfig withPort(int newPort) {
    return new EmbeddedKafkaConfig(newPort, logDir, brokerProps);
  }

  /** This config with the given log directory. */
  public EmbeddedKafkaConfig withLogDir(Path dir) {
    return new EmbeddedKafkaConfig(port, Optional.of(dir), brokerProps);
  }
}
