package io.renderrelay.e2e.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts the records written to topics between two moments: end offsets are snapshotted, and the
 * committed data records between two snapshots are read and counted (end offsets alone would also
 * count transaction markers).
 */
public final class TopicRecords implements AutoCloseable {

  private final String bootstrap;
  private final Admin admin;

  public TopicRecords(String bootstrap) {
    this.bootstrap = bootstrap;
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(p);
  }

  /** End offsets of every partition of these topics (absent topics are skipped). */
  public Map<TopicPartition, Long> endOffsets(Collection<String> topics) throws Exception {
    List<String> existing =
        new ArrayList<>(
            admin.listTopics().names().get().stream().filter(topics::contains).toList());
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    admin
        .describeTopics(existing)
        .allTopicNames()
        .get()
        .forEach(
            (t, d) ->
                d.partitions()
                    .forEach(
                        pi ->
                            specs.put(new TopicPartition(t, pi.partition()), OffsetSpec.latest())));
    Map<TopicPartition, Long> out = new HashMap<>();
    admin.listOffsets(specs).all().get().forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  /** Sum of (after - before) offsets per topic: data records plus transaction markers. */
  public static Map<String, Long> offsetDelta(
      Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((tp, end) -> out.merge(tp.topic(), end - before.getOrDefault(tp, 0L), Long::sum));
    return out;
  }

  /** Committed data records per topic between the two snapshots (read_committed). */
  public Map<String, Long> committedRecords(
      Map<TopicPartition, Long> before, Map<TopicPartition, Long> after, Duration timeout) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    Map<String, Long> counts = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          after.keySet().stream()
              .filter(tp -> after.get(tp) > before.getOrDefault(tp, 0L))
              .toList();
      c.assign(tps);
      tps.forEach(tp -> c.seek(tp, before.getOrDefault(tp, 0L)));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!tps.stream().allMatch(tp -> c.position(tp) >= after.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "counting records did not reach the end offsets in " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() < after.get(tp)) {
            counts.merge(r.topic(), 1L, Long::sum);
          }
        }
      }
    }
    return counts;
  }

  /** The admin client (topic creation, group descriptions). */
  public Admin admin() {
    return admin;
  }

  /** Unwraps an admin future. */
  public static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().toString(), e.getCause());
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
