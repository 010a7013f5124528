package io.renderrelay.worker.job.core;

import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.StepResult;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One step of work on one job: the partition its record came from (where the job's ledger entry and
 * tickets live), the step's claim on that partition, and the effects it collects for its
 * transaction. Every stage takes it as its first argument instead of a partition, a lease and a
 * builder apart.
 */
public final class JobStep {

  private final int partition;
  private final Lease lease;
  private final StepResult.Builder effects = StepResult.builder();

  private JobStep(int partition, Lease lease) {
    this.partition = partition;
    this.lease = lease;
  }

  /** A step on {@code partition} under {@code lease}, with no effects yet. */
  public static JobStep on(int partition, Lease lease) {
    return new JobStep(partition, lease);
  }

  public int partition() {
    return partition;
  }

  public Lease lease() {
    return lease;
  }

  /** The effects collected so far (ledger writes and records of this step's transaction). */
  StepResult.Builder effects() {
    return effects;
  }

  /** Adds a record to this step's transaction. */
  public JobStep record(ProducerRecord<byte[], byte[]> record) {
    effects.record(record);
    return this;
  }

  /** Commits the effects; the source record is done. */
  public StepResult done() {
    return effects.done();
  }

  /** Commits the effects, then runs {@code next} as a new step of the same job after a delay. */
  public StepResult then(Function<JobStep, StepResult> next, Duration delay) {
    return effects.then(() -> next.apply(on(partition, lease)), delay);
  }

  /**
   * A new paid submit (or the check before one) may start: the partition is still held and not
   * being handed over, and the worker is not stopping.
   */
  public boolean mayStart(BooleanSupplier accepting) {
    return lease.valid() && !lease.draining() && accepting.getAsBoolean();
  }
}
