package io.renderrelay.worker.provider;

import io.renderrelay.worker.provider.ProviderException.Retryable;
import io.renderrelay.worker.retry.Backoff;
import io.renderrelay.worker.retry.Sleeper;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one provider call with bounded retries (the shared {@link Backoff}, full jitter) of its
 * {@link Retryable} outcomes, honouring Retry-After up to the backoff cap (a longer one is handed
 * back to the caller at once). What counts as retryable is decided by {@link ErrorClassifier}: for
 * submits only the cases where the provider surely did not take the task.
 */
final class CallRetrier {

  private static final Logger log = LoggerFactory.getLogger(CallRetrier.class);

  /** One attempt of a call. */
  @FunctionalInterface
  interface Attempt<T> {
    T run() throws ProviderException;
  }

  private final Sleeper sleeper;
  private final ProviderMetrics metrics;

  CallRetrier(Sleeper sleeper, ProviderMetrics metrics) {
    this.sleeper = sleeper;
    this.metrics = metrics;
  }

  <T> T run(ProviderEndpoint endpoint, RetryPolicy policy, String subject, Attempt<T> attempt)
      throws ProviderException {
    for (int tries = 1; ; tries++) {
      try {
        return attempt.run();
      } catch (Retryable e) {
        Optional<Duration> delay = retryDelay(policy, tries, e);
        if (delay.isEmpty()) {
          throw tries == 1 ? e : givenUp(e, tries);
        }
        log.info(
            "provider {} for {}: attempt {}/{} failed, retrying in {} ms: {}",
            endpoint.label(),
            subject,
            tries,
            policy.maxAttempts(),
            delay.get().toMillis(),
            e.getMessage());
        metrics.onRetry(endpoint);
        try {
          sleeper.sleep(delay.get());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** Empty when no retry is due: attempts used up, or a Retry-After beyond the backoff cap. */
  private Optional<Duration> retryDelay(RetryPolicy policy, int tries, Retryable error) {
    if (tries >= policy.maxAttempts()) {
      return Optional.empty();
    }
    Duration backoff = policy.backoff().delay(tries);
    if (error.retryAfter().isEmpty()) {
      return Optional.of(backoff);
    }
    Duration after = error.retryAfter().get();
    if (after.compareTo(policy.backoff().max()) > 0) {
      return Optional.empty(); // too long to hold a thread: the caller reschedules
    }
    return Optional.of(after.compareTo(backoff) > 0 ? after : backoff);
  }

  private static Retryable givenUp(Retryable last, int tries) {
    return new Retryable(
        last.getMessage() + " (gave up after " + tries + " attempts)",
        last.retryAfter(),
        last.rateLimited(),
        last);
  }
}
