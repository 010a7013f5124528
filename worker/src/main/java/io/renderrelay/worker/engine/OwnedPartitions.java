package io.renderrelay.worker.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions the loop owns, one {@link OwnedPartition} each, and the one path by which they
 * end: a revoke or a shutdown drains them first (running steps finish and commit, bounded by the
 * drain grace; waiting continuations and queued records are handed over uncommitted), a loss does
 * not; then their leases end, steps still running are interrupted and their results dropped. Only
 * the partitions that move are touched: a partial revoke leaves the others' work alone.
 */
final class OwnedPartitions implements ConsumerRebalanceListener {

  private static final Logger log = LoggerFactory.getLogger(OwnedPartitions.class);

  private final Runnable commitNow;
  private final Consumer<byte[], byte[]> consumer;
  private final KeyedDispatcher dispatcher;
  private final Batch batch;
  private final LedgerApplier ledger;
  private final PipelineListener listener;
  private final PipelineSettings settings;
  private final Map<TopicPartition, OwnedPartition> owned = new HashMap<>();

  /**
   * @param commitNow takes the finished steps and commits them at once (a drain runs it while it
   *     waits for its partitions' steps, and once more at its end)
   */
  OwnedPartitions(
      Runnable commitNow,
      Consumer<byte[], byte[]> consumer,
      KeyedDispatcher dispatcher,
      Batch batch,
      LedgerApplier ledger,
      PipelineListener listener,
      PipelineSettings settings) {
    this.commitNow = commitNow;
    this.consumer = consumer;
    this.dispatcher = dispatcher;
    this.batch = batch;
    this.ledger = ledger;
    this.listener = listener;
    this.settings = settings;
  }

  OwnedPartition owner(TopicPartition tp) {
    return owned.get(tp);
  }

  Set<TopicPartition> partitions() {
    return Set.copyOf(owned.keySet());
  }

  /** Partitions held for their head's due time or being handed over. */
  Set<TopicPartition> mustWait(Instant now) {
    Set<TopicPartition> out = new HashSet<>();
    owned.forEach(
        (tp, p) -> {
          if (p.stillHeld(now) || p.draining()) {
            out.add(tp);
          }
        });
    return out;
  }

  /** How long the next poll may wait: until the earliest held head is due, at most {@code max}. */
  Duration pollTimeout(Instant now, Duration max) {
    Duration t = max;
    for (OwnedPartition p : owned.values()) {
      Instant until = p.heldUntil().orElse(null);
      if (until != null) {
        Duration d = Duration.between(now, until);
        t = d.compareTo(t) < 0 ? (d.isNegative() ? Duration.ZERO : d) : t;
      }
    }
    return t;
  }

  /** Offsets to commit: advanced ones, and the position of every partition in {@code carrying}. */
  Map<TopicPartition, OffsetAndMetadata> commitPoints(Set<TopicPartition> carrying) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    owned.forEach((tp, p) -> p.commitPoint(carrying.contains(tp)).ifPresent(om -> out.put(tp, om)));
    return out;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, om) -> {
          OwnedPartition p = owned.get(tp);
          if (p != null) {
            p.committed(om.offset());
          }
        });
  }

  /** Drains and ends every owned partition (shutdown); true when it ended within the grace. */
  boolean drainAll(String why) {
    return drain(partitions(), why);
  }

  /** Ends every partition without a drain (the loop is closing). */
  void endAll() {
    end(partitions());
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      owned.computeIfAbsent(tp, OwnedPartition::new);
    }
    Set<Integer> numbers = numbers(owned.keySet());
    ledger.assigned(numbers);
    listener.partitionsOwned(numbers);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    Set<TopicPartition> moving = Set.copyOf(partitions);
    drain(moving, "revoke of " + moving.size() + " partitions");
    ledger.revoked(numbersGone(moving));
    listener.partitionsOwned(numbers(owned.keySet()));
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    Set<TopicPartition> lost = Set.copyOf(partitions);
    log.warn("lost {} partitions without a revoke; their work in flight is dropped", lost.size());
    end(lost);
    ledger.lost(numbersGone(lost));
    listener.partitionsOwned(numbers(owned.keySet()));
  }

  /**
   * Waits for the steps running for {@code partitions} and commits their results, at most the drain
   * grace (measured on the monotonic clock: a drain must end even if the wall clock jumps), then
   * ends the partitions. Waiting continuations are handed over at once.
   */
  private boolean drain(Set<TopicPartition> partitions, String why) {
    Set<TopicPartition> mine = new HashSet<>(partitions);
    mine.retainAll(owned.keySet());
    mine.forEach(tp -> owned.get(tp).startDraining());
    consumer.pause(mine);
    dispatcher.handOver(mine);
    long deadline = System.nanoTime() + settings.drainGrace().toNanos();
    boolean inTime = true;
    while (dispatcher.running(mine) > 0 || batch.hasAny(mine)) {
      if (System.nanoTime() - deadline > 0) {
        log.warn(
            "drain for {} ended by its grace period with {} steps running; they are interrupted,"
                + " their results dropped and their records left to the next owner",
            why,
            dispatcher.running(mine));
        inTime = false;
        break;
      }
      dispatcher.startReady();
      commitNow.run();
      sleepBriefly();
    }
    commitNow.run();
    end(mine);
    log.info("drain for {} done (in time: {})", why, inTime);
    return inTime;
  }

  private void end(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      OwnedPartition p = owned.remove(tp);
      if (p != null) {
        p.end();
      }
    }
    dispatcher.forget(partitions);
    batch.drop(partitions);
  }

  /** Partition numbers of {@code moved} that no topic still owns (their ledger goes too). */
  private Set<Integer> numbersGone(Set<TopicPartition> moved) {
    Set<Integer> gone = numbers(moved);
    gone.removeAll(numbers(owned.keySet()));
    return gone;
  }

  private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
    Set<Integer> out = new HashSet<>();
    partitions.forEach(tp -> out.add(tp.partition()));
    return out;
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
