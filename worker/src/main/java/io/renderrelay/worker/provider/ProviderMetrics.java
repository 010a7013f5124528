package io.renderrelay.worker.provider;

import java.time.Duration;

/**
 * What the provider client reports; the metrics module implements it. Every argument is a bounded
 * tag except {@code rawStatus}, which an implementation must cap (it is already truncated to 64
 * characters here).
 */
public interface ProviderMetrics {

  /** One HTTP exchange (or one attempt that failed before an answer) ended. */
  void onRequest(ProviderEndpoint endpoint, OutcomeClass outcome, Duration latency);

  /** A caller waited for a rate limiter ({@code limiter} is "submit" or "poll"). */
  void onRateLimitWait(String limiter, Duration waited);

  /** A task status the worker does not know was seen (counted on every sighting). */
  void onUnknownStatus(String rawStatus);

  /** The client retries a call after a retryable outcome. */
  default void onRetry(ProviderEndpoint endpoint) {}

  /** Submissions were paused process-wide. */
  default void onSubmissionsPaused(ProviderException.FatalReason reason) {}

  /** Submissions flow again after a pause (a probe submit succeeded). */
  default void onSubmissionsResumed() {}

  /** A metrics sink that records nothing. */
  static ProviderMetrics noop() {
    return new NoopProviderMetrics();
  }
}
