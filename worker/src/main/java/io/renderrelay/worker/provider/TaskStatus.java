package io.renderrelay.worker.provider;

/** The one internal status set every provider format is normalised into. */
public enum TaskStatus {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED,
  /** A status string the worker does not know: counted, logged once, treated as not terminal. */
  UNKNOWN;

  public boolean terminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
