package io.renderrelay.worker.engine;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Turns consumed records into job steps; the job logic behind the engine. */
public interface RecordRouter {

  /**
   * The first step for a record. Called on the loop thread: must not block.
   *
   * @param lease the claim on the record's partition; steps check it before paying
   */
  Step route(ConsumerRecord<byte[], byte[]> record, Lease lease);

  /**
   * A step kept failing with an unexpected error: what to write instead so nothing is lost
   * (normally a dead-letter copy of the record with the error).
   */
  StepResult giveUp(Work work, Throwable error);
}
