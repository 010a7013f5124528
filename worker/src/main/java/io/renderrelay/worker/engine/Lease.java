package io.renderrelay.worker.engine;

/**
 * A step's claim on the partition its record came from. A step checks it immediately before an
 * effect that cannot be taken back (a paid submit): once the partition was revoked, lost or its
 * drain timed out, the claim is gone and nothing the step does afterwards will be committed.
 */
@FunctionalInterface
public interface Lease {

  /** True while the record's partition is still owned in the generation the record was taken in. */
  boolean valid();

  /** A lease that never ends, for callers outside the pipeline (tools, tests). */
  static Lease always() {
    return () -> true;
  }
}
