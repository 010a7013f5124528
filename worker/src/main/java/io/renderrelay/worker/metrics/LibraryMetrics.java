package io.renderrelay.worker.metrics;

/**
 * The metric families Micrometer's binders publish next to the catalogue ({@link LibraryBinders}),
 * by Prometheus name prefix: listed in docs/metrics.md and checked present by the scrape IT.
 */
public enum LibraryMetrics {
  JVM_MEMORY("jvm_memory_", "Heap and non-heap memory by area and pool; buffer pools."),
  JVM_GC("jvm_gc_", "GC pauses (by action and cause), allocation and promotion, live data."),
  JVM_THREADS("jvm_threads_", "Live, daemon and peak threads; threads by state."),
  JVM_CLASSES("jvm_classes_", "Classes loaded and unloaded."),
  PROCESS("process_", "Process CPU usage, uptime, start time, open and maximum file descriptors."),
  SYSTEM("system_", "System CPU usage and count, load average."),
  KAFKA_CONSUMER(
      "kafka_consumer_",
      "Kafka consumer client metrics (KafkaClientMetrics): fetch rates and latency, records lag"
          + " max, commit latency, rebalances; by client_id, topic, node (no per-partition meters).",
      true),
  KAFKA_PRODUCER(
      "kafka_producer_",
      "Kafka producer client metrics: record send and error rates, request latency, batch size,"
          + " buffer; by client_id, topic, node.",
      true);

  private final String prefix;
  private final String description;
  private final boolean kafka;

  LibraryMetrics(String prefix, String description) {
    this(prefix, description, false);
  }

  LibraryMetrics(String prefix, String description, boolean kafka) {
    this.prefix = prefix;
    this.description = description;
    this.kafka = kafka;
  }

  public String prefix() {
    return prefix;
  }

  public String description() {
    return description;
  }

  /** True for the Kafka client families (present once a client has connected). */
  public boolean kafka() {
    return kafka;
  }
}
