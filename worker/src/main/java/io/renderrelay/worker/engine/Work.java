package io.renderrelay.worker.engine;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A job's work that came from one consumed record.
 *
 * @param lease the claim on the record's partition in the ownership it was taken in; results of a
 *     work whose lease ended are dropped
 * @param attempt how often this step already failed unexpectedly
 * @param afterCommit an earlier step of the same record already committed effects (a submit intent,
 *     for one): this step may be the paid half of the work, so a failure is never answered by
 *     running it again blindly, it goes to {@link RecordRouter#giveUp}
 */
public record Work(
    ConsumerRecord<byte[], byte[]> record,
    String key,
    Lease lease,
    int attempt,
    boolean afterCommit,
    Step step) {

  /** The first step of a freshly taken record. */
  public static Work first(ConsumerRecord<byte[], byte[]> record, String key, Lease lease, Step s) {
    return new Work(record, key, lease, 0, false, s);
  }

  public TopicPartition source() {
    return new TopicPartition(record.topic(), record.partition());
  }

  public long offset() {
    return record.offset();
  }

  /** The step that follows once this one's effects are committed. */
  public Work next(Step step) {
    return new Work(record, key, lease, 0, true, step);
  }

  public Work retry() {
    return new Work(record, key, lease, attempt + 1, afterCommit, step);
  }
}
