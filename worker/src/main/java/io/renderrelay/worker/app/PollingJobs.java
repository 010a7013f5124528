package io.renderrelay.worker.app;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.ledger.LedgerStore;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local ledger store, counting the jobs it holds in POLLING per partition: the provider tasks
 * in flight of the partitions this process owns, from committed state only. Restores and committed
 * writes both pass through here; a partition that moves away (cleared on revoke or loss) takes its
 * share of the count with it, so the in-flight cap follows the partitions.
 */
final class PollingJobs implements LedgerStore {

  private final LedgerStore store;
  private final Map<Integer, Set<String>> polling = new ConcurrentHashMap<>();

  PollingJobs(LedgerStore store) {
    this.store = store;
  }

  /** Jobs in POLLING in the owned partitions, as committed. */
  int count() {
    return polling.values().stream().mapToInt(Set::size).sum();
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return store.get(partition, jobId);
  }

  @Override
  public void put(int partition, JobState state) {
    store.put(partition, state);
    if (state.getPhase() == JobPhase.POLLING) {
      polling.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(state.getJobId());
    } else {
      forget(partition, state.getJobId());
    }
  }

  @Override
  public void remove(int partition, String jobId) {
    store.remove(partition, jobId);
    forget(partition, jobId);
  }

  @Override
  public void clearPartition(int partition) {
    store.clearPartition(partition);
    polling.remove(partition);
  }

  @Override
  public void close() {
    store.close();
  }

  private void forget(int partition, String jobId) {
    Set<String> jobs = polling.get(partition);
    if (jobs != null) {
      jobs.remove(jobId);
    }
  }
}
