package io.renderrelay.worker.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores ledger partitions from the compacted {@code render.jobs} topic into the local store,
 * reading committed records only, up to the end offsets seen when it starts. A partition whose
 * store holds a checkpoint (written at a clean handover) is read from that offset instead of from
 * the beginning. Each partition is reported to the {@link Sink} as soon as it has caught up.
 */
public final class LedgerRestorer {

  private static final Logger log = LoggerFactory.getLogger(LedgerRestorer.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  // polls fetched and parsed while the store writes earlier ones (each up to max.poll.records)
  private static final int WRITES_QUEUED = 4;

  /** Where restored entries go; lets the owner drop a partition while it is being restored. */
  public interface Sink {
    /** Runs {@code writes} for the partition unless it is no longer wanted; false then. */
    boolean write(int partition, Runnable writes);

    /** The partition has caught up with the end offset seen at the start. */
    void caughtUp(int partition, long entries, Duration took);

    /** The partition's restore begins, from its local checkpoint or from the beginning. */
    default void started(int partition, RestoreProgress.Start start) {}

    /** {@code records} more records of the partition were stored. */
    default void read(int partition, long records) {}
  }

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String topic;
  private final Supplier<String> topicId;
  private final LedgerStore store;
  private final LedgerCodec codec;
  private final Clock clock;
  private final Duration stallTimeout;

  /**
   * @param topicId the topic's id (Kafka's topic UUID): checkpoints are only valid for it
   * @param stallTimeout a restore that reads nothing for this long while behind fails
   */
  public LedgerRestorer(
      Supplier<Consumer<byte[], byte[]>> consumers,
      String topic,
      Supplier<String> topicId,
      LedgerStore store,
      LedgerCodec codec,
      Clock clock,
      Duration stallTimeout) {
    this.consumers = consumers;
    this.topic = topic;
    this.topicId = topicId;
    this.store = store;
    this.codec = codec;
    this.clock = clock;
    this.stallTimeout = stallTimeout;
  }

  /** Restores the partitions; returns the number of entries read. */
  public long restore(Collection<Integer> partitions, Sink sink) {
    if (partitions.isEmpty()) {
      return 0;
    }
    Instant started = clock.instant();
    Set<TopicPartition> active = new HashSet<>();
    partitions.forEach(p -> active.add(new TopicPartition(topic, p)));
    Map<Integer, Long> read = new ConcurrentHashMap<>();
    Set<Integer> dropped = ConcurrentHashMap.newKeySet();
    String id = topicId.get();
    try (Consumer<byte[], byte[]> consumer = consumers.get();
        RestoreWriter writer = new RestoreWriter("rr-ledger-restore-writer", WRITES_QUEUED)) {
      consumer.assign(active);
      Map<TopicPartition, Long> end = consumer.endOffsets(active, stallTimeout);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(active, stallTimeout);
      for (TopicPartition tp : active) {
        start(consumer, tp, id, begin.get(tp), end.get(tp), sink);
      }
      Instant lastProgress = clock.instant();
      Instant lastLog = started;
      while (true) {
        for (TopicPartition tp : List.copyOf(active)) {
          if (dropped.contains(tp.partition())) {
            active.remove(tp);
          } else if (consumer.position(tp) >= end.get(tp)) {
            active.remove(tp);
            int p = tp.partition();
            // reported once the writes queued before it are in the store
            writer.submit(
                () -> {
                  if (!dropped.contains(p)) {
                    sink.caughtUp(
                        p, read.getOrDefault(p, 0L), Duration.between(started, clock.instant()));
                  }
                });
          }
        }
        if (active.isEmpty()) {
          break;
        }
        if (!consumer.assignment().equals(active)) {
          consumer.assign(active);
        }
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
        Instant now = clock.instant();
        if (!records.isEmpty()) {
          lastProgress = now;
        } else if (Duration.between(lastProgress, now).compareTo(stallTimeout) > 0) {
          throw new IllegalStateException(
              "ledger restore of " + active + " read nothing for " + stallTimeout);
        }
        for (TopicPartition tp : records.partitions()) {
          int p = tp.partition();
          List<ConsumerRecord<byte[], byte[]>> batch = records.records(tp);
          // the store writes run on the writer thread while this one fetches the next records
          writer.submit(
              () -> {
                if (dropped.contains(p)) {
                  return;
                }
                if (sink.write(p, () -> apply(p, batch))) {
                  read.merge(p, (long) batch.size(), Long::sum);
                  sink.read(p, batch.size());
                } else {
                  dropped.add(p);
                }
              });
        }
        if (Duration.between(lastLog, now).compareTo(PROGRESS_EVERY) >= 0) {
          lastLog = now;
          logProgress(consumer, active, end, read);
        }
      }
      writer.drain();
    }
    long total = read.values().stream().mapToLong(Long::longValue).sum();
    log.info(
        "ledger restored partitions={} entries={} took_ms={}",
        partitions,
        total,
        Duration.between(started, clock.instant()).toMillis());
    return total;
  }

  /**
   * Records each partition's committed end offset as the store's checkpoint: the store holds the
   * topic up to there (called after this worker's last transaction on them committed).
   */
  public void checkpoint(Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    try (Consumer<byte[], byte[]> consumer = consumers.get()) {
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, stallTimeout);
      Map<Integer, Long> offsets = new HashMap<>();
      end.forEach((tp, offset) -> offsets.put(tp.partition(), offset));
      store.checkpoint(topicId.get(), offsets);
      log.info("ledger checkpoints written {}", end);
    }
  }

  /** Forgets the partitions' checkpoints: they are live here again. */
  public void dropCheckpoints(Collection<Integer> partitions) {
    String id = topicId.get();
    partitions.forEach(p -> store.takeCheckpoint(id, p));
  }

  private void start(
      Consumer<byte[], byte[]> consumer,
      TopicPartition tp,
      String id,
      long begin,
      long end,
      Sink sink) {
    OptionalLong checkpoint = store.takeCheckpoint(id, tp.partition());
    if (checkpoint.isPresent()
        && checkpoint.getAsLong() >= begin
        && checkpoint.getAsLong() <= end) {
      log.info(
          "ledger partition {} resumes from its local checkpoint {} (end {})",
          tp.partition(),
          checkpoint.getAsLong(),
          end);
      consumer.seek(tp, checkpoint.getAsLong());
      sink.started(tp.partition(), RestoreProgress.Start.CHECKPOINT);
    } else {
      checkpoint.ifPresent(
          c ->
              log.warn(
                  "ledger partition {}: local checkpoint {} outside the topic's offsets {}..{}"
                      + " (another cluster or a recreated topic); restoring from the beginning",
                  tp.partition(),
                  c,
                  begin,
                  end));
      sink.write(tp.partition(), () -> store.clearPartition(tp.partition()));
      consumer.seekToBeginning(List.of(tp));
      sink.started(tp.partition(), RestoreProgress.Start.BEGINNING);
    }
  }

  private void logProgress(
      Consumer<byte[], byte[]> consumer,
      Set<TopicPartition> active,
      Map<TopicPartition, Long> end,
      Map<Integer, Long> read) {
    long remaining = 0;
    for (TopicPartition tp : active) {
      remaining += Math.max(0, end.get(tp) - consumer.position(tp));
    }
    log.info(
        "ledger restore in progress partitions={} entries_read={} offsets_remaining={}",
        active.stream().map(TopicPartition::partition).sorted().toList(),
        read.values().stream().mapToLong(Long::longValue).sum(),
        remaining);
  }

  /** Stores the entries as they are encoded (checking each writer schema is known here). */
  private void apply(int partition, List<ConsumerRecord<byte[], byte[]>> records) {
    List<LedgerStore.Encoded> entries = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (r.key() == null) {
        continue;
      }
      if (r.value() != null) {
        codec.checkWriter(r.value());
      }
      entries.add(new LedgerStore.Encoded(new String(r.key(), StandardCharsets.UTF_8), r.value()));
    }
    store.putEncoded(partition, entries);
  }
}
