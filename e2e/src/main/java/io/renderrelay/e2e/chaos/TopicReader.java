package io.renderrelay.e2e.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic, from the beginning to its end offsets, as one isolation level sees it. */
final class TopicReader {

  private TopicReader() {}

  static List<ConsumerRecord<byte[], byte[]>> readAll(
      String bootstrapServers, String topic, boolean committedOnly, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor(topic, timeout).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!atEnd(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " to its end within " + timeout);
        }
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static boolean atEnd(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
