package io.renderrelay.worker.cli;

import io.renderrelay.worker.ledger.LedgerCodec;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that read the ledger topic. */
final class LedgerOptions {

  @Option(
      names = "--jobs-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.jobs",
      description = "Ledger topic (default: ${DEFAULT-VALUE}).")
  String jobsTopic;

  @Option(
      names = "--root-prefix",
      paramLabel = "PREFIX",
      defaultValue = "renders",
      description =
          "The workers' storage.root-prefix, to print S3 keys (default: ${DEFAULT-VALUE}).")
  String rootPrefix;

  @Mixin ReadTimeoutOption readTimeout;

  LedgerTopicReader reader(Consumer<byte[], byte[]> consumer) {
    return new LedgerTopicReader(consumer, jobsTopic, LedgerCodec.current(), readTimeout.timeout);
  }
}
