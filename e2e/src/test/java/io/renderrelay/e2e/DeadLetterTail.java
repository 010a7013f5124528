package io.renderrelay.e2e;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads render.dlt (read_committed, from the beginning) in the background for assertions. */
final class DeadLetterTail implements AutoCloseable {

  static final String DLT_TOPIC = "render.dlt";

  /** One dead letter: original key and value, and the headers (last value per name). */
  record DeadLetter(String key, byte[] value, Map<String, String> headers) {
    String reason() {
      return headers.getOrDefault(DltHeaders.REASON, "");
    }

    String detail() {
      return headers.getOrDefault(DltHeaders.DETAIL, "");
    }

    @Override
    public String toString() {
      return "DeadLetter[key="
          + key
          + ", value="
          + (value == null ? "null" : value.length + " bytes")
          + ", reason="
          + reason()
          + ", detail="
          + detail()
          + "]";
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<DeadLetter> seen = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  DeadLetterTail(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = Thread.ofPlatform().daemon().name("e2e-dlt").start(this::run);
  }

  private void run() {
    try {
      List<TopicPartition> tps = new ArrayList<>();
      while (running.get() && tps.isEmpty()) {
        consumer
            .partitionsFor(DLT_TOPIC, Duration.ofSeconds(5))
            .forEach(pi -> tps.add(new TopicPartition(DLT_TOPIC, pi.partition())));
        if (tps.isEmpty()) {
          Thread.sleep(200);
        }
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          Map<String, String> headers = new HashMap<>();
          for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
          }
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          synchronized (seen) {
            seen.add(new DeadLetter(key, r.value(), headers));
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException | InterruptedException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  List<DeadLetter> all() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /** The first dead letter matching {@code match} within {@code timeout}. */
  Optional<DeadLetter> await(Predicate<DeadLetter> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<DeadLetter> found = all().stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  /** The first dead letter whose key is {@code key}. */
  Optional<DeadLetter> awaitKey(String key, Duration timeout) throws InterruptedException {
    return await(d -> key.equals(d.key()), timeout);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
