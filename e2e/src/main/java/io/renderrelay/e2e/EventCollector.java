package io.renderrelay.e2e;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * A downstream transcoder's view: reads render.events with read_committed from the beginning, keeps
 * every terminal event per jobId, so a test can tell lost from duplicated.
 */
public final class EventCollector implements AutoCloseable {

  public static final String EVENTS_TOPIC = "render.events";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final SchemaRegistryClient registry;
  private final ConfluentAvroDeserializer<Object> deserializer;
  private final Map<String, List<Object>> events = new HashMap<>();
  private final Map<String, List<Map<String, String>>> headers = new HashMap<>();
  private final Thread thread;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private volatile Throwable failure;
  private final String topic;

  /** Collects the default events topic from its beginning. */
  public EventCollector(String bootstrapServers, String registryUrl) {
    this(bootstrapServers, registryUrl, EVENTS_TOPIC);
  }

  /** Collects {@code topic} ({@code topics.events}) from its beginning. */
  public EventCollector(String bootstrapServers, String registryUrl, String topic) {
    this.topic = topic;
    this.consumer = RawConsumers.committed(bootstrapServers);
    this.registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    this.deserializer = new ConfluentAvroDeserializer<>(registry, true);
    this.thread = Thread.ofPlatform().daemon().name("e2e-events").start(this::run);
  }

  private void run() {
    try {
      RawConsumers.assignFromStart(consumer, topic, running::get);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Object event = deserializer.deserialize(r.topic(), r.headers(), r.value());
          String jobId = new String(r.key(), StandardCharsets.UTF_8);
          Map<String, String> h = new java.util.LinkedHashMap<>();
          r.headers().forEach(x -> h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8)));
          synchronized (events) {
            events.computeIfAbsent(jobId, k -> new ArrayList<>()).add(event);
            headers.computeIfAbsent(jobId, k -> new ArrayList<>()).add(Map.copyOf(h));
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (Throwable t) {
      failure = t;
    } finally {
      consumer.close();
    }
  }

  /** The record headers of every event seen for a job, in order (values as UTF-8). */
  List<Map<String, String>> headersOf(String jobId) {
    checkAlive();
    synchronized (events) {
      return List.copyOf(headers.getOrDefault(jobId, List.of()));
    }
  }

  /** Every event seen for a job, in order. */
  public List<Object> eventsOf(String jobId) {
    checkAlive();
    synchronized (events) {
      return List.copyOf(events.getOrDefault(jobId, List.of()));
    }
  }

  /** How many of these jobs have at least one terminal event. */
  public long terminalCount(Collection<String> jobIds) {
    checkAlive();
    synchronized (events) {
      return jobIds.stream().filter(events::containsKey).count();
    }
  }

  /** Jobs with more than one terminal event. */
  public List<String> duplicated() {
    synchronized (events) {
      return events.entrySet().stream()
          .filter(e -> e.getValue().size() > 1)
          .map(Map.Entry::getKey)
          .toList();
    }
  }

  public static boolean completed(Object event) {
    return event instanceof RenderCompleted;
  }

  public static boolean failed(Object event) {
    return event instanceof RenderFailed;
  }

  /** Waits until every job has a terminal event, or the timeout passes; returns how many did. */
  public long awaitTerminal(Collection<String> jobIds, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long n;
    while ((n = terminalCount(jobIds)) < jobIds.size() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return n;
  }

  private void checkAlive() {
    if (failure != null) {
      throw new IllegalStateException("event collector failed: " + failure, failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
    registry.close();
  }
}
