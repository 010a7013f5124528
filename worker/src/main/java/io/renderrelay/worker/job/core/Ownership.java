package io.renderrelay.worker.job.core;

import org.apache.kafka.common.utils.Utils;

/**
 * The one ownership rule for a jobId: its owner partition is Kafka's default for the key (murmur2
 * of the UTF-8 jobId, positive, modulo the partition count), whatever partitioner the producer of a
 * command used. Commands are processed only at their owner partition (one arriving elsewhere is
 * forwarded there), and the job's ledger entry and poll tickets live on the same partition number,
 * so one ledger partition decides every duplicate of a jobId.
 *
 * @param partitions the partition count shared by the command, poll and ledger topics
 */
public record Ownership(int partitions) {

  public Ownership {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
    }
  }

  /** The owner partition of a record key (a jobId in UTF-8). */
  public int owner(byte[] key) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }
}
