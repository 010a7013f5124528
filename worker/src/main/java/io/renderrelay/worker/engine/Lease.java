package io.renderrelay.worker.engine;

/**
 * A step's claim on the partition its record came from, for one ownership of that partition. A step
 * checks it immediately before an effect that cannot be taken back (a paid submit): once the
 * partition was revoked, lost or its drain timed out, the claim is gone and nothing the step does
 * afterwards will be committed.
 */
@FunctionalInterface
public interface Lease {

  /** True while the record's partition is still owned in the ownership the record was taken in. */
  boolean valid();

  /**
   * True once the partition is being handed over (a revoke or a shutdown began). Steps already
   * running may finish and their results are committed while {@link #valid()} holds, but a step
   * should start nothing the next owner could not resume without doubt: no new submit intent, and
   * no wait for a rate-limiter permit. It returns {@link StepResult#handOver()} instead, which
   * leaves its record uncommitted for the next owner.
   */
  default boolean draining() {
    return !valid();
  }

  /** A lease that never ends, for callers outside the pipeline (tools, tests). */
  static Lease always() {
    return () -> true;
  }
}
