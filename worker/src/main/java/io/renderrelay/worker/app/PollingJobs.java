package io.renderrelay.worker.app;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local ledger store, counting the jobs it holds in POLLING per partition: the provider tasks
 * in flight of the partitions this process owns, from committed state only. Committed writes and
 * restored entries both pass through here; only the partitions owned now count (it follows {@link
 * #partitionsOwned}), so a partition that moves away takes its share of the count with it and the
 * in-flight cap follows the partitions.
 *
 * <p>A partition restored from a local checkpoint (a restart on a kept store) counts only the jobs
 * written since that checkpoint: the cap may then admit more tasks than configured until those jobs
 * end, never fewer.
 */
public final class PollingJobs implements LedgerStore, PipelineListener {

  private final LedgerStore store;
  private final LedgerCodec codec;
  private final Map<Integer, Set<String>> polling = new ConcurrentHashMap<>();
  private volatile Set<Integer> owned = Set.of();

  public PollingJobs(LedgerStore store, LedgerCodec codec) {
    this.store = store;
    this.codec = codec;
  }

  /** Jobs in POLLING in the owned partitions, as committed. */
  int count() {
    Set<Integer> now = owned;
    int n = 0;
    for (Map.Entry<Integer, Set<String>> e : polling.entrySet()) {
      if (now.contains(e.getKey())) {
        n += e.getValue().size();
      }
    }
    return n;
  }

  @Override
  public void partitionsOwned(Set<Integer> partitions) {
    owned = Set.copyOf(partitions);
    polling.keySet().retainAll(owned);
  }

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return store.get(partition, jobId);
  }

  @Override
  public void put(int partition, JobState state) {
    store.put(partition, state);
    track(partition, state.getJobId(), state.getPhase());
  }

  @Override
  public void remove(int partition, String jobId) {
    store.remove(partition, jobId);
    forget(partition, jobId);
  }

  @Override
  public void putEncoded(int partition, List<Encoded> entries) {
    store.putEncoded(partition, entries);
    for (Encoded e : entries) {
      if (e.value() == null) {
        forget(partition, e.jobId());
      } else {
        track(partition, e.jobId(), codec.phase(e.value()));
      }
    }
  }

  @Override
  public List<JobState> scan(int partition, String afterJobId, int limit) {
    return store.scan(partition, afterJobId, limit);
  }

  @Override
  public void checkpoint(String topicId, Map<Integer, Long> offsets) {
    store.checkpoint(topicId, offsets);
  }

  @Override
  public OptionalLong takeCheckpoint(String topicId, int partition) {
    return store.takeCheckpoint(topicId, partition);
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

  private void track(int partition, String jobId, JobPhase phase) {
    if (phase == JobPhase.POLLING) {
      polling.computeIfAbsent(partition, p -> ConcurrentHashMap.newKeySet()).add(jobId);
    } else {
      forget(partition, jobId);
    }
  }

  private void forget(int partition, String jobId) {
    Set<String> jobs = polling.get(partition);
    if (jobs != null) {
      jobs.remove(jobId);
    }
  }
}
