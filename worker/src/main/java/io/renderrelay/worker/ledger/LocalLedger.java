package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.LedgerApplier;
import io.renderrelay.worker.engine.LedgerWrite;
import io.renderrelay.worker.engine.StepResult;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ledger as the job logic reads it: committed states of the owned partitions. Partitions are
 * restored from Kafka when they are assigned and were not already valid locally; with the eager
 * protocol a partition revoked and assigned again in the same rebalance stays valid.
 */
public final class LocalLedger implements LedgerApplier, LedgerReader {

  private final LedgerStore store;
  private final LedgerRestorer restorer;
  private final Optional<LedgerExpiry> expiry;
  private final Set<Integer> valid = new HashSet<>();

  /** A ledger whose ended jobs are kept forever. */
  public LocalLedger(LedgerStore store, LedgerRestorer restorer) {
    this(store, restorer, Optional.empty());
  }

  /** A ledger that forgets ended jobs past the expiry's dedupe horizon. */
  public LocalLedger(LedgerStore store, LedgerRestorer restorer, Optional<LedgerExpiry> expiry) {
    this.store = store;
    this.restorer = restorer;
    this.expiry = expiry;
  }

  @Override
  public StepResult upkeep(Predicate<String> busy) {
    return expiry.map(e -> e.due(Set.copyOf(valid), busy)).orElseGet(StepResult::done);
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
    Set<Integer> stale = new HashSet<>(valid);
    stale.removeAll(partitions);
    stale.forEach(store::clearPartition);
    valid.removeAll(stale);
    Set<Integer> missing = new HashSet<>(partitions);
    missing.removeAll(valid);
    restorer.restore(missing);
    valid.addAll(missing);
  }

  @Override
  public void revoked(Set<Integer> partitions) {
    // kept valid: if they come back in this same rebalance nobody else can have changed them
  }

  @Override
  public void lost(Set<Integer> partitions) {
    partitions.forEach(store::clearPartition);
    valid.removeAll(partitions);
  }
}
