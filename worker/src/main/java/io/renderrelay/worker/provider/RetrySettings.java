package io.renderrelay.worker.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * How the client retries inside one call.
 *
 * @param poll Feed Get Task: any retryable outcome, honouring Retry-After up to the backoff cap (a
 *     longer Retry-After is handed to the caller in the exception)
 * @param submit submits: only outcomes where the provider surely did not take the task
 * @param safeSubmitRetryStatuses HTTP statuses after which a submit is known not to have been taken
 *     (default 429 and 503)
 * @param random the jitter source (seeded in tests)
 */
public record RetrySettings(
    RetryPolicy poll, RetryPolicy submit, Set<Integer> safeSubmitRetryStatuses, Random random) {

  public RetrySettings {
    Objects.requireNonNull(poll, "poll");
    Objects.requireNonNull(submit, "submit");
    safeSubmitRetryStatuses = Set.copyOf(safeSubmitRetryStatuses);
    Objects.requireNonNull(random, "random");
  }

  /** Polls: 4 tries, 0.5 s doubling to 8 s; submits: 3 tries, 1 s doubling to 8 s; 20% jitter. */
  public static RetrySettings defaults(Random random) {
    return new RetrySettings(
        new RetryPolicy(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 2.0, 0.2), 4),
        new RetryPolicy(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0, 0.2), 3),
        ErrorClassifier.DEFAULT_SAFE_SUBMIT_RETRY_STATUSES,
        random);
  }
}
