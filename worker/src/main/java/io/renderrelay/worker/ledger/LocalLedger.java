package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.LedgerApplier;
import io.renderrelay.worker.engine.LedgerWrite;
import io.renderrelay.worker.engine.StepResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger as the job logic reads it: committed states of the owned partitions. A partition
 * assigned and not already valid locally is restored in the background, off the consumer's poll
 * thread; the loop keeps such a partition paused until {@link #ready} says it has caught up, so a
 * takeover never holds the consumer past {@code max.poll.interval.ms}. With incremental rebalancing
 * a revoked partition has moved to another member, which changes it from then on: it is forgotten,
 * and its checkpoint (written at the revoke) lets a later assignment or a restart on the same
 * directory read only what changed since.
 */
public final class LocalLedger implements LedgerApplier, LedgerReader {

  private static final Logger log = LoggerFactory.getLogger(LocalLedger.class);
  private static final Duration RETRY = Duration.ofSeconds(10);

  private final LedgerStore store;
  private final LedgerRestorer restorer;
  private final ScheduledExecutorService restores;
  private final Optional<LedgerExpiry> expiry;
  private final RestoreProgress progress;
  private final Set<Integer> wanted = ConcurrentHashMap.newKeySet();
  private final Set<Integer> valid = ConcurrentHashMap.newKeySet();
  // which assignment of a partition a restore serves: a restore begun before the partition was
  // revoked (or lost) and assigned again read up to an end offset that misses what the member
  // holding it meanwhile wrote, and may have been cleared under it, so it must never make it valid
  private final Map<Integer, Long> assignment = new ConcurrentHashMap<>();
  private long assignments;
  private final Object lock = new Object();

  /**
   * @param restores the single thread restores run on (shared by the loops a runtime restarts)
   * @param progress where restores report (shared by the loops a runtime restarts)
   */
  public LocalLedger(
      LedgerStore store,
      LedgerRestorer restorer,
      ScheduledExecutorService restores,
      Optional<LedgerExpiry> expiry,
      RestoreProgress progress) {
    this.store = store;
    this.restorer = restorer;
    this.restores = restores;
    this.expiry = expiry;
    this.progress = progress;
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return store.get(partition, jobId);
  }

  @Override
  public void apply(LedgerWrite write) {
    write
        .state()
        .ifPresentOrElse(
            s -> store.put(write.partition(), s),
            () -> store.remove(write.partition(), write.jobId()));
  }

  @Override
  public void assigned(Set<Integer> partitions) {
    Set<Integer> stale = new HashSet<>(wanted);
    stale.removeAll(partitions);
    drop(stale);
    Set<Integer> missing = new HashSet<>(partitions);
    missing.removeAll(wanted);
    Set<Integer> kept = new HashSet<>(partitions);
    kept.removeAll(missing);
    if (!kept.isEmpty()) {
      restorer.dropCheckpoints(kept); // they change again from now on
    }
    synchronized (lock) {
      for (int p : missing) {
        assignment.put(p, ++assignments);
      }
      wanted.addAll(missing);
    }
    if (!missing.isEmpty()) {
      progress.queued(missing);
      log.info("ledger partitions {} restore in the background; paused until restored", missing);
      restores.execute(() -> restore(missing));
    }
  }

  @Override
  public boolean ready(int partition) {
    return valid.contains(partition);
  }

  @Override
  public void revoked(Set<Integer> partitions) {
    Set<Integer> handed = new HashSet<>(partitions);
    handed.retainAll(valid);
    try {
      restorer.checkpoint(handed);
    } catch (RuntimeException e) {
      log.warn(
          "ledger checkpoints of {} not written; the next start restores them fully", handed, e);
    }
    synchronized (lock) {
      // the store keeps their entries for the checkpoint; without one the restorer clears them
      wanted.removeAll(partitions);
      valid.removeAll(partitions);
      assignment.keySet().removeAll(partitions);
    }
    progress.abandoned(partitions);
  }

  @Override
  public void lost(Set<Integer> partitions) {
    drop(partitions);
  }

  @Override
  public StepResult upkeep(Predicate<String> busy) {
    return expiry.map(e -> e.due(Set.copyOf(valid), busy)).orElseGet(StepResult::done);
  }

  /** Stops every restore of this ledger (its loop ended); the store stays as it is. */
  @Override
  public void close() {
    synchronized (lock) {
      progress.abandoned(wanted);
      wanted.clear();
      valid.clear();
      assignment.clear();
    }
  }

  private void drop(Set<Integer> partitions) {
    synchronized (lock) {
      wanted.removeAll(partitions);
      valid.removeAll(partitions);
      assignment.keySet().removeAll(partitions);
      partitions.forEach(store::clearPartition);
    }
    progress.abandoned(partitions);
  }

  private void restore(Set<Integer> partitions) {
    Set<Integer> todo = new HashSet<>(partitions);
    Map<Integer, Long> serving = new HashMap<>();
    synchronized (lock) {
      todo.retainAll(wanted);
      todo.removeAll(valid);
      todo.forEach(p -> serving.put(p, assignment.get(p)));
    }
    if (todo.isEmpty()) {
      return;
    }
    try {
      restorer.restore(todo, new Sink(serving));
    } catch (RuntimeException e) {
      log.error(
          "ledger restore of {} failed; the partitions stay paused, retrying in {}",
          todo,
          RETRY,
          e);
      restores.schedule(() -> restore(todo), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Restores into the store for the assignments it was started for, and for no later one. */
  private final class Sink implements LedgerRestorer.Sink {
    private final Map<Integer, Long> serving;

    Sink(Map<Integer, Long> serving) {
      this.serving = Map.copyOf(serving);
    }

    /** Still the same assignment of the partition as when this restore began (under lock). */
    private boolean current(int partition) {
      return wanted.contains(partition)
          && Objects.equals(assignment.get(partition), serving.get(partition));
    }

    @Override
    public boolean write(int partition, Runnable writes) {
      synchronized (lock) {
        if (!current(partition)) {
          return false;
        }
        writes.run();
        return true;
      }
    }

    @Override
    public void started(int partition, RestoreProgress.Start start) {
      progress.started(partition, start);
    }

    @Override
    public void read(int partition, long records) {
      progress.read(partition, records);
    }

    @Override
    public void caughtUp(int partition, long entries, Duration took) {
      synchronized (lock) {
        if (!current(partition)) {
          log.info("ledger partition {}: a restore for an earlier assignment ended", partition);
          return;
        }
        valid.add(partition);
        progress.caughtUp(partition, took);
      }
      log.info(
          "ledger partition {} restored entries={} took_ms={}; resuming it",
          partition,
          entries,
          took.toMillis());
    }
  }
}
