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

/**
 * Reads one topic (read_committed, from the beginning) in the background for assertions: the dead
 * letters of render.dlt, or the poll-now tickets of render.poll.now.
 */
final class TopicTail implements AutoCloseable {

  static final String DLT_TOPIC = "render.dlt";
  static final String POLL_NOW_TOPIC = "render.poll.now";

  /** One record: key and value, and the headers (last value per name); dead-letter accessors. */
  record Rec(String key, byte[] value, Map<String, String> headers) {
    String reason() {
      return headers.getOrDefault(DltHeaders.REASON, "");
    }

    String detail() {
      return headers.getOrDefault(DltHeaders.DETAIL, "");
    }

    @Override
    public String toString() {
      return "Rec[key="
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
  private final List<Rec> seen = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;
  private final String topic;

  TopicTail(String bootstrapServers, String topic) {
    this.topic = topic;
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 << 20);
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    thread = Thread.ofPlatform().daemon().name("e2e-tail-" + topic).start(this::run);
  }

  private void run() {
    try {
      List<TopicPartition> tps = new ArrayList<>();
      while (running.get() && tps.isEmpty()) {
        consumer
            .partitionsFor(topic, Duration.ofSeconds(5))
            .forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
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
            headers.put(
                h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
          }
          String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
          synchronized (seen) {
            seen.add(new Rec(key, r.value(), headers));
          }
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException | InterruptedException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  List<Rec> all() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /**
   * How many poll-now tickets of this job came from callbacks: every submit that created a task
   * also says "sent, task X" on the same topic (a ticket with the rr.submit.word header).
   */
  long countCallbackTickets(String key) {
    return all().stream()
        .filter(r -> key.equals(r.key()) && !r.headers().containsKey("rr.submit.word"))
        .count();
  }

  /** The first record matching {@code match} within {@code timeout}. */
  Optional<Rec> await(Predicate<Rec> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<Rec> found = all().stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(100);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  /** The first record whose key is {@code key}. */
  Optional<Rec> awaitKey(String key, Duration timeout) throws InterruptedException {
    return await(d -> key.equals(d.key()), timeout);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(10_000);
  }
}
