package io.renderrelay.devstack.kafka;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.storage.Formatter;

/** Formats a KRaft log directory once (what {@code kafka-storage.sh format} does). */
final class KRaftStorage {
  private KRaftStorage() {}

  static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  /** True if {@code dir} already holds a formatted KRaft node. */
  static boolean isFormatted(Path dir) {
    return Files.exists(dir.resolve("meta.properties"));
  }

  /** Formats {@code logDir} for a static single-voter quorum unless it already is formatted. */
  static void formatIfNeeded(KafkaConfig config, String clusterId, Path logDir) {
    if (isFormatted(logDir)) {
      return;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(config.nodeId())
          .setClusterId(clusterId)
          .setControllerListenerName(config.controllerListenerNames().get(0))
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toAbsolutePath().toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot format kafka log dir " + logDir + ": " + e.getMessage() + " " + out, e);
    }
  }
}
