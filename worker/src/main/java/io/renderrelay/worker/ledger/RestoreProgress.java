package io.renderrelay.worker.ledger;

import io.renderrelay.worker.metrics.Metrics;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the ledger restores of this process are doing, shared by the loops a runtime restarts: which
 * partitions are assigned and not yet restored (metrics, and the job lookup answers 503 for them),
 * records read and time taken per restore. Thread-safe: the restore thread and the poll thread
 * report, HTTP threads ask.
 */
public final class RestoreProgress {

  /** Where a partition's restore began. */
  public enum Start {
    CHECKPOINT,
    BEGINNING;

    String tag() {
      return this == CHECKPOINT ? "checkpoint" : "beginning";
    }
  }

  /** A partition assigned and not restored yet; {@code start} empty while its restore is queued. */
  private record Pending(Optional<Start> start) {}

  private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
  private final Optional<Metrics> metrics;

  public RestoreProgress(Optional<Metrics> metrics) {
    this.metrics = metrics;
  }

  /** Keeps nothing but the state (tests, tools). */
  public static RestoreProgress untracked() {
    return new RestoreProgress(Optional.empty());
  }

  /** True while {@code partition} is assigned here and its restore has not caught up. */
  public boolean restoring(int partition) {
    return pending.containsKey(partition);
  }

  /** The partitions assigned here and not yet restored. */
  public Set<Integer> restoring() {
    return Set.copyOf(pending.keySet());
  }

  void queued(Collection<Integer> partitions) {
    partitions.forEach(p -> pending.putIfAbsent(p, new Pending(Optional.empty())));
    gauge();
  }

  void started(int partition, Start start) {
    pending.computeIfPresent(partition, (p, old) -> new Pending(Optional.of(start)));
  }

  void read(int partition, long records) {
    Pending p = pending.get(partition);
    if (p != null && p.start().isPresent()) {
      metrics.ifPresent(m -> m.ledgerRecordsRestored(p.start().get().tag(), records));
    }
  }

  void caughtUp(int partition, Duration took) {
    Pending p = pending.remove(partition);
    if (p != null && p.start().isPresent()) {
      metrics.ifPresent(m -> m.ledgerPartitionRestored(p.start().get().tag(), took));
    }
    gauge();
  }

  void abandoned(Collection<Integer> partitions) {
    partitions.forEach(pending::remove);
    gauge();
  }

  private void gauge() {
    metrics.ifPresent(m -> m.ledgerPartitionsRestoring(pending.size()));
  }
}
