package io.renderrelay.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** An operator's plain read_committed view of render.dlt, group-less, from the beginning. */
final class DltProbe {

  static final String DLT_TOPIC = "render.dlt";

  private final String bootstrapServers;
  private final String topic;

  DltProbe(String bootstrapServers) {
    this(bootstrapServers, DLT_TOPIC);
  }

  /** A view of the dead-letter topic {@code topic} ({@code topics.dead-letter}). */
  DltProbe(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /**
   * Reads render.dlt from the beginning until every key in {@code keys} has a record or the timeout
   * passes; returns the records of those keys (possibly fewer keys than asked for).
   */
  Map<String, List<ConsumerRecord<byte[], byte[]>>> awaitKeys(
      Collection<String> keys, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, List<ConsumerRecord<byte[], byte[]>>> found = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(10))
          .forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      while (!found.keySet().containsAll(keys) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (keys.contains(key)) {
            found.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
          }
        }
      }
    }
    return found;
  }

  /** The UTF-8 value of the last header named {@code name}, or null. */
  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
