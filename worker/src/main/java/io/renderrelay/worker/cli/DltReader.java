package io.renderrelay.worker.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the dead-letter topic with a group-less consumer (read_committed, assigned, no commits)
 * from a start position up to the end offsets taken when it opened, so every scan terminates even
 * while the worker keeps writing.
 */
final class DltReader {

  private static final Duration POLL = Duration.ofMillis(200);

  /** Where a scan starts and stops, per partition; {@code end} is exclusive. */
  public record Range(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
    /** How many offsets lie in the range (records, plus transaction markers). */
    public long size() {
      long n = 0;
      for (var e : end.entrySet()) {
        n += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), e.getValue()));
      }
      return n;
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final LongSupplier nanoTime;
  private final Duration stallTimeout;

  /**
   * @param stallTimeout how long polls may bring nothing while the end is not reached before the
   *     scan gives up with an error (a broker that went away)
   */
  public DltReader(
      Consumer<byte[], byte[]> consumer,
      String topic,
      LongSupplier nanoTime,
      Duration stallTimeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.nanoTime = nanoTime;
    this.stallTimeout = stallTimeout;
  }

  /** Assigns every partition, seeks to the beginning (or the first record at/after since). */
  public Range open(Optional<Instant> since) {
    List<TopicPartition> partitions = partitions(topic);
    consumer.assign(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    Map<TopicPartition, Long> start = new HashMap<>(consumer.beginningOffsets(partitions));
    if (since.isPresent()) {
      Map<TopicPartition, Long> query = new HashMap<>();
      partitions.forEach(tp -> query.put(tp, since.get().toEpochMilli()));
      Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
      for (TopicPartition tp : partitions) {
        OffsetAndTimestamp o = found.get(tp);
        start.put(tp, o == null ? end.get(tp) : Math.max(o.offset(), start.get(tp)));
      }
    }
    start.forEach(consumer::seek);
    return new Range(Map.copyOf(start), Map.copyOf(end));
  }

  /**
   * Feeds every record in the range to the visitor, in partition order, until the range is done or
   * the visitor returns false.
   *
   * @param progress called after every poll with the number of offsets consumed so far
   */
  public void scan(
      Range range,
      Predicate<ConsumerRecord<byte[], byte[]>> visitor,
      java.util.function.LongConsumer progress) {
    long lastProgress = nanoTime.getAsLong();
    while (!done(range)) {
      var records = consumer.poll(POLL);
      if (records.isEmpty()) {
        if (nanoTime.getAsLong() - lastProgress > stallTimeout.toNanos()) {
          throw new CliException(
              "reading "
                  + topic
                  + " made no progress for "
                  + stallTimeout.toSeconds()
                  + "s (at "
                  + positions(range)
                  + ", end "
                  + range.end()
                  + "); is the broker reachable?");
        }
      } else {
        lastProgress = nanoTime.getAsLong();
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        if (r.offset() >= range.end().getOrDefault(tp, 0L)) {
          continue;
        }
        if (!visitor.test(r)) {
          return;
        }
      }
      progress.accept(consumed(range));
    }
  }

  /** The one record at partition/offset. */
  public ConsumerRecord<byte[], byte[]> fetch(int partition, long offset) {
    TopicPartition tp = new TopicPartition(topic, partition);
    if (partitions(topic).stream().noneMatch(tp::equals)) {
      throw new CliException(topic + " has no partition " + partition);
    }
    consumer.assign(List.of(tp));
    long first = consumer.beginningOffsets(List.of(tp)).get(tp);
    long end = consumer.endOffsets(List.of(tp)).get(tp);
    if (offset < first || offset >= end) {
      throw new CliException(
          "no record at "
              + tp
              + " offset "
              + offset
              + ": the partition holds offsets "
              + first
              + " to "
              + (end - 1));
    }
    consumer.seek(tp, offset);
    var hit = new java.util.concurrent.atomic.AtomicReference<ConsumerRecord<byte[], byte[]>>();
    scan(
        new Range(Map.of(tp, offset), Map.of(tp, end)),
        r -> {
          if (r.offset() == offset) {
            hit.set(r);
          }
          return r.offset() < offset;
        },
        n -> {});
    if (hit.get() == null) {
      throw new CliException(
          "no record at "
              + tp
              + " offset "
              + offset
              + " (a transaction marker or an aborted record sits there)");
    }
    return hit.get();
  }

  private List<TopicPartition> partitions(String t) {
    List<PartitionInfo> infos = consumer.partitionsFor(t);
    if (infos == null || infos.isEmpty()) {
      throw new CliException("topic " + t + " does not exist (or this client may not describe it)");
    }
    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
  }

  private boolean done(Range range) {
    for (var e : range.end().entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private long consumed(Range range) {
    long n = 0;
    for (var e : range.end().entrySet()) {
      long pos = Math.min(consumer.position(e.getKey()), e.getValue());
      n += Math.max(0, pos - range.start().getOrDefault(e.getKey(), e.getValue()));
    }
    return n;
  }

  private Map<TopicPartition, Long> positions(Range range) {
    Map<TopicPartition, Long> m = new HashMap<>();
    range.end().keySet().forEach(tp -> m.put(tp, consumer.position(tp)));
    return m;
  }
}
