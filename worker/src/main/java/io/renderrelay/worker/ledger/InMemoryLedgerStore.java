package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/** A heap ledger store for unit tests and tiny deployments; production uses RocksDB. */
public final class InMemoryLedgerStore implements LedgerStore {

  private final Map<Integer, Map<String, JobState>> partitions = new ConcurrentHashMap<>();
  private final Map<String, Long> checkpoints = new ConcurrentHashMap<>();
  private final LedgerCodec codec = LedgerCodec.current();

  @Override
  public Optional<JobState> get(int partition, String jobId) {
    return Optional.ofNullable(partitions.getOrDefault(partition, Map.of()).get(jobId));
  }

  @Override
  public void put(int partition, JobState state) {
    partitions
        .computeIfAbsent(partition, p -> new ConcurrentHashMap<>())
        .put(state.getJobId(), JobState.newBuilder(state).build());
  }

  @Override
  public void putEncoded(int partition, List<Encoded> entries) {
    for (Encoded e : entries) {
      if (e.value() == null) {
        remove(partition, e.jobId());
      } else {
        put(partition, codec.decode(e.value()));
      }
    }
  }

  @Override
  public void remove(int partition, String jobId) {
    partitions.getOrDefault(partition, Map.of()).remove(jobId);
  }

  @Override
  public List<JobState> scan(int partition, String afterJobId, int limit) {
    return partitions.getOrDefault(partition, Map.of()).values().stream()
        .filter(s -> afterJobId == null || s.getJobId().compareTo(afterJobId) > 0)
        .sorted(Comparator.comparing(JobState::getJobId))
        .limit(limit)
        .toList();
  }

  @Override
  public void checkpoint(String topicId, Map<Integer, Long> offsets) {
    offsets.forEach((p, o) -> checkpoints.put(topicId + "/" + p, o));
  }

  @Override
  public OptionalLong takeCheckpoint(String topicId, int partition) {
    Long offset = checkpoints.remove(topicId + "/" + partition);
    return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  @Override
  public void clearPartition(int partition) {
    partitions.remove(partition);
    checkpoints.keySet().removeIf(k -> k.endsWith("/" + partition));
  }

  public int size() {
    return partitions.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public void close() {
    partitions.clear();
  }
}
