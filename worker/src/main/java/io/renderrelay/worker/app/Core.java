package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.kafka.KafkaClientFactory;
import io.renderrelay.worker.metrics.LibraryBinders;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.tracing.Tracing;
import java.time.Clock;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;

/**
 * What every assembly of the worker builds on: its configuration, what it owns, its metrics and
 * tracing, its Kafka clients, and this machine's clock (local durations; the fleet's timeline is
 * {@link KafkaAssembly#clock()}).
 */
record Core(
    WorkerConfig config,
    Resources resources,
    Metrics metrics,
    MetricsBridge bridge,
    LibraryBinders binders,
    Tracing tracing,
    KafkaClientFactory kafka,
    Admin admin,
    Clock local) {

  Topics topics() {
    return config.kafka().topics();
  }

  /** The command topics, whose intake stops while submissions are not allowed. */
  Set<String> commandTopics() {
    return Set.of(topics().restyleCommands(), topics().actOneCommands());
  }

  String instanceId() {
    return config.instance().instanceId();
  }

  <T extends AutoCloseable> T own(T closeable) {
    return resources.own(closeable);
  }
}
