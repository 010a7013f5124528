package io.renderrelay.worker.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Out-of-order completion, in-order commit: records of one partition finish in any order, but only
 * the contiguous prefix of finished offsets is ever committed (as decaton's OutOfOrderCommitControl
 * does). Used by the loop thread only.
 */
public final class OffsetTracker {

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  /** A record was taken into work. */
  public void started(TopicPartition tp, long offset) {
    PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
    s.pending.add(offset);
    s.highest = Math.max(s.highest, offset);
  }

  /** A record's work is done (its effects are in the transaction being built). */
  public void finished(TopicPartition tp, long offset) {
    PartitionState s = partitions.get(tp);
    if (s != null) {
      s.pending.remove(offset);
    }
  }

  /** Offsets that may be committed now and differ from the last ones returned. */
  public Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    partitions.forEach(
        (tp, s) -> {
          if (s.highest < 0) {
            return;
          }
          long next = s.pending.isEmpty() ? s.highest + 1 : s.pending.first();
          if (next > s.committed) {
            out.put(tp, new OffsetAndMetadata(next));
          }
        });
    return out;
  }

  /** The offsets returned by {@link #committable()} were committed. */
  public void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, om) -> {
          PartitionState s = partitions.get(tp);
          if (s != null) {
            s.committed = Math.max(s.committed, om.offset());
          }
        });
  }

  public int pending(TopicPartition tp) {
    PartitionState s = partitions.get(tp);
    return s == null ? 0 : s.pending.size();
  }

  public int pendingTotal() {
    return partitions.values().stream().mapToInt(s -> s.pending.size()).sum();
  }

  public void forget(TopicPartition tp) {
    partitions.remove(tp);
  }

  public void clear() {
    partitions.clear();
  }

  private static final class PartitionState {
    final TreeSet<Long> pending = new TreeSet<>();
    long highest = -1;
    long committed = -1;
  }
}
