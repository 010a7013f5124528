package io.renderrelay.worker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Micrometer's own binders for what is not the worker's code: the JVM (memory, GC, heap pressure,
 * threads, class loading), the process (CPU, uptime, file descriptors) and the Kafka clients. Their
 * families are listed in {@link LibraryMetrics}. Tags stay bounded: the JVM's are fixed sets
 * (memory pools, GC causes, thread states), the Kafka clients' carry the fixed per-instance client
 * ids, the topic and the broker node; per-partition Kafka meters are dropped (the catalogue's
 * consumer lag covers partitions). The Kafka binders follow the pipeline's one consumer and one
 * producer: a restarted pipeline loop makes new clients with the same client ids, and binding one
 * closes the binding of the client it replaces (its meters and scheduler thread), so the meters
 * report the live client and restarts leave nothing behind.
 */
public final class LibraryBinders implements AutoCloseable {

  private final MeterRegistry registry;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Map<String, KafkaClientMetrics> kafkaClients = new HashMap<>();

  /**
   * The filter that keeps the binders' tags bounded: Kafka's per-partition meters are dropped.
   * {@link Metrics} installs it before the first meter is registered.
   */
  static MeterFilter boundedTags() {
    return MeterFilter.deny(LibraryBinders::perPartitionKafka);
  }

  /** Binds the JVM and process binders to {@code registry}. */
  public LibraryBinders(MeterRegistry registry) {
    this.registry = registry;
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    closeables.add(gc);
    JvmHeapPressureMetrics pressure = new JvmHeapPressureMetrics();
    pressure.bindTo(registry);
    closeables.add(pressure);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** Binds the client metrics of the pipeline's Kafka consumer, replacing the earlier one's. */
  public <K, V> Consumer<K, V> consumer(Consumer<K, V> consumer) {
    bind("consumer", new KafkaClientMetrics(consumer));
    return consumer;
  }

  /** Binds the client metrics of the pipeline's Kafka producer, replacing the earlier one's. */
  public <K, V> Producer<K, V> producer(Producer<K, V> producer) {
    bind("producer", new KafkaClientMetrics(producer));
    return producer;
  }

  private synchronized void bind(String kind, KafkaClientMetrics metrics) {
    // the replaced client's binding would keep its meters (same ids: the new client's would not
    // register) and its scheduler thread; closing it removes both
    KafkaClientMetrics replaced = kafkaClients.put(kind, metrics);
    if (replaced != null) {
      replaced.close();
    }
    metrics.bindTo(registry);
  }

  private static boolean perPartitionKafka(io.micrometer.core.instrument.Meter.Id id) {
    return id.getName().startsWith("kafka.") && id.getTag("partition") != null;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : closeables) {
      try {
        c.close();
      } catch (Exception e) {
        // a binder that cannot stop holds nothing the process needs any more
      }
    }
    closeables.clear();
    kafkaClients.values().forEach(KafkaClientMetrics::close);
    kafkaClients.clear();
  }
}
