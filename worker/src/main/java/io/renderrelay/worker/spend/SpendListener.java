package io.renderrelay.worker.spend;

import io.renderrelay.avro.JobType;

/** What the budget guard reports for metrics. */
public interface SpendListener {

  /** This replica's reservation was committed (read back from the journal). */
  default void spent(String tenant, JobType type, long micros) {}

  /** This replica withdrew a reservation unpaid. */
  default void refunded(String tenant, JobType type, long micros) {}

  /** A job was held back. */
  default void held(String tenant, SpendGuard.HoldReason reason) {}

  SpendListener NONE = new SpendListener() {};
}
