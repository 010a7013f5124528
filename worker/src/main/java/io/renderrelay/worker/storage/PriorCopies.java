package io.renderrelay.worker.storage;

/**
 * What the caller knows about earlier copies to the same key. {@link #NONE} lets the copier skip
 * the HEAD before writing (the write stays conditional, so a wrong NONE costs a verification pass,
 * never an overwrite); {@link #POSSIBLE} is the safe default.
 */
public enum PriorCopies {
  /** No earlier attempt of this copy can have written the key (the job's ledger says so). */
  NONE,
  /** An earlier attempt may have written the key (a retry, a takeover, or unknown). */
  POSSIBLE
}
