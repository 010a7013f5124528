package io.renderrelay.e2e.chaos;

/** Where an unfinished job stood when a worker was killed. */
enum Stage {
  /** Published; no ledger entry committed yet. */
  INTAKE,
  /** Ledger QUEUED (accepted, waiting to submit, e.g. after a 429). */
  QUEUED,
  /** Submit intent committed, no task id yet: between intent and submit. */
  SUBMITTING,
  /** Task id committed, the provider still renders: polls. */
  POLLING,
  /** The provider task has succeeded, no terminal event yet: copy to S3 and the commit after it. */
  COPY
}
