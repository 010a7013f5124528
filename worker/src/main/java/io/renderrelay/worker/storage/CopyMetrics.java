package io.renderrelay.worker.storage;

import java.time.Duration;

/**
 * Listener for copy results; the metrics module adapts it to Micrometer. Tags must stay bounded:
 * the outcome is an enum, never a key or URL.
 */
public interface CopyMetrics {

  /** How one copy attempt ended. */
  enum Outcome {
    /** Streamed and written to S3. */
    UPLOADED,
    /** The key already held the same bytes (verified by sha256); nothing written. */
    ALREADY_PRESENT,
    RETRYABLE,
    EXPIRED,
    REJECTED
  }

  /** One copy attempt ended; {@code bytes} is how much of the output was read. */
  void copyFinished(Outcome outcome, long bytes, Duration duration);

  /** A retryable failure will be tried again after {@code delay}. */
  default void retryScheduled(int failedAttempt, Duration delay) {}

  static CopyMetrics noop() {
    return (outcome, bytes, duration) -> {};
  }
}
