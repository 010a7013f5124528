package io.renderrelay.worker.provider;

import io.renderrelay.worker.retry.Backoff;
import java.util.Objects;

/**
 * How often one provider call is tried inside the client.
 *
 * @param maxAttempts total tries including the first, at least 1
 */
public record RetryPolicy(Backoff backoff, int maxAttempts) {

  public RetryPolicy {
    Objects.requireNonNull(backoff, "backoff");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
  }
}
