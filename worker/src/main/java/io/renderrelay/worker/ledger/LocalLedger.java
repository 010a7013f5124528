package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.LedgerApplier;
import io.renderrelay.worker.engine.LedgerWrite;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The ledger as the job logic reads it: committed states of the owned partitions. Partitions are
 * restored from Kafka when they are assigned and were not already valid locally. With incremental
 * rebalancing a revoked partition has moved to another member, which may change it: it is forgotten
 * like a lost one and restored afresh if it ever comes back.
 */
public final class LocalLedger implements LedgerApplier, LedgerReader {

  private final LedgerStore store;
  private final LedgerRestorer restorer;
  private final Set<Integer> valid = new HashSet<>();

  public LocalLedger(LedgerStore store, LedgerRestorer restorer) {
    this.store = store;
    this.restorer = restorer;
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
    lost(partitions);
  }

  @Override
  public void lost(Set<Integer> partitions) {
    partitions.forEach(store::clearPartition);
    valid.removeAll(partitions);
  }
}
