package io.renderrelay.worker.job.core;

import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.dlt.DeadLetters;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Dead-letters a consumed record in a step's transaction and counts it. */
public final class DeadLettering {

  private final DeadLetters deadLetters;
  private final JobListener listener;

  public DeadLettering(DeadLetters deadLetters, JobListener listener) {
    this.deadLetters = deadLetters;
    this.listener = listener;
  }

  /** Adds the DLT copy of {@code r} to the step's effects. */
  public JobStep record(
      JobStep step,
      ConsumerRecord<byte[], byte[]> r,
      DeadLetterReason reason,
      String detail,
      Throwable error) {
    listener.deadLetter(reason);
    return step.record(deadLetters.of(r, reason, detail, error));
  }
}
