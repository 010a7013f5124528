package io.renderrelay.worker.cli;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.ledger.LedgerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the ledger topic ({@code render.jobs}) the way the worker writes it: key the jobId, value a
 * single-object-encoded {@code JobState} of any released schema version, null a tombstone.
 * Committed records only, from the beginning up to the end offsets seen at start.
 */
final class LedgerTopicReader {

  /** One ledger record: a state, or a tombstone (empty). */
  record Entry(int partition, long offset, Instant time, String jobId, Optional<JobState> state) {}

  private final org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final LedgerCodec codec;
  private final Duration timeout;

  LedgerTopicReader(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer,
      String topic,
      LedgerCodec codec,
      Duration timeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.codec = codec;
    this.timeout = timeout;
  }

  /**
   * The partition the worker keeps this jobId's entries in, as the command producers' default
   * partitioner places the key (murmur2, as Kafka's own).
   */
  int partitionOf(String jobId) {
    int count = partitions().size();
    return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % count;
  }

  List<Integer> partitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new CliException("topic " + topic + " does not exist (is --jobs-topic right?)");
    }
    return infos.stream().map(PartitionInfo::partition).sorted().toList();
  }

  /** The current end offset of every partition. */
  Map<Integer, Long> endOffsets() {
    List<TopicPartition> tps =
        partitions().stream().map(p -> new TopicPartition(topic, p)).toList();
    Map<Integer, Long> out = new java.util.HashMap<>();
    consumer.endOffsets(tps, timeout).forEach((tp, o) -> out.put(tp.partition(), o));
    return out;
  }

  /** Hands every entry of the partitions to {@code sink}, in offset order per partition. */
  void read(List<Integer> partitions, Consumer<Entry> sink) {
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
    Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
    Set<TopicPartition> open = new HashSet<>(tps);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      if (open.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new CliException("reading " + topic + " did not reach its end within " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        if (r.key() != null) {
          sink.accept(entry(r));
        }
      }
    }
  }

  private Entry entry(ConsumerRecord<byte[], byte[]> r) {
    String jobId = new String(r.key(), StandardCharsets.UTF_8);
    Optional<JobState> state =
        r.value() == null ? Optional.empty() : Optional.of(codec.decode(r.value()));
    return new Entry(r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), jobId, state);
  }
}
