package io.renderrelay.worker.provider;

import io.renderrelay.worker.retry.Backoff;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How the client retries inside one call.
 *
 * @param poll Feed Get Task: any retryable outcome, honouring Retry-After up to the backoff cap (a
 *     longer Retry-After is handed to the caller in the exception)
 * @param submit submits: only outcomes where the provider surely did not take the task
 * @param safeSubmitRetryStatuses HTTP statuses after which a submit is known not to have been taken
 *     (default 429 and 503)
 */
public record RetrySettings(
    RetryPolicy poll, RetryPolicy submit, Set<Integer> safeSubmitRetryStatuses) {

  public RetrySettings {
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(submit, "submit");
    safeSubmitRetryStatuses = Set.copyOf(safeSubmitRetryStatuses);
  }

  /**
   * Polls: 4 tries, ceilings 0.5 s doubling to 8 s; submits: 3 tries, 1 s doubling to 8 s (full
   * jitter, {@link Backoff}).
   *
   * @param random the jitter source (seeded in tests)
   */
  public static RetrySettings defaults(RandomGenerator random) {
    return new RetrySettings(
        new RetryPolicy(Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(8), random), 4),
        new RetryPolicy(Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(8), random), 3),
        ErrorClassifier.DEFAULT_SAFE_SUBMIT_RETRY_STATUSES);
  }
}
