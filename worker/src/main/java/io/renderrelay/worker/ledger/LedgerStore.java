package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The local, restorable view of the compacted {@code render.jobs} topic for the partitions this
 * worker owns. Written only with states whose Kafka transaction has committed, or with entries
 * restored from the topic.
 */
public interface LedgerStore extends AutoCloseable {

  Optional<JobState> get(int partition, String jobId);

  void put(int partition, JobState state);

  void remove(int partition, String jobId);

  /** An entry as the topic holds it: encoded state, or null for a tombstone. */
  record Encoded(String jobId, byte[] value) {}

  /** Writes restored entries as they are encoded on the topic, in order, as one batch. */
  void putEncoded(int partition, List<Encoded> entries);

  /**
   * Up to {@code limit} entries of one partition in jobId order, starting after {@code afterJobId}
   * (null: from the first).
   */
  List<JobState> scan(int partition, String afterJobId, int limit);

  /**
   * Records that the store holds each partition's topic content up to the given offset (durably:
   * after the entries themselves), so a restart can resume the restore from there.
   */
  void checkpoint(String topicId, Map<Integer, Long> offsets);

  /**
   * Removes and returns the partition's checkpoint for the topic with this id (a checkpoint of
   * another topic, e.g. of another cluster or a recreated topic, is not returned): from now on the
   * partition's entries change again.
   */
  OptionalLong takeCheckpoint(String topicId, int partition);

  /**
   * Forgets everything of one partition (before a restore, or after a revoke), its checkpoints
   * included: a checkpoint says the store holds the topic up to its offset, which an emptied
   * partition no longer does.
   */
  void clearPartition(int partition);

  @Override
  void close();
}
