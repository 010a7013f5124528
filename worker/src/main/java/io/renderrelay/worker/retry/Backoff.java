package io.renderrelay.worker.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with "full jitter", the one backoff of the worker (provider calls,
 * output copies, input pre-flight checks).
 *
 * <p>Retry {@code n} (1-based) has the ceiling {@code min(max, initial * multiplier^(n-1))}; the
 * delay is drawn uniformly from {@code [0, ceiling]}. Full jitter is the variant AWS's architecture
 * blog ("Exponential Backoff And Jitter") found to do the least work for about the same completion
 * time as the others: retries of many clients that failed together spread over the whole window
 * instead of bunching at its upper half. It needs no state between attempts (decorrelated jitter
 * does), so one instance serves every caller. Where the other side names a time (Retry-After), the
 * caller waits at least that.
 *
 * @param initial the first ceiling, positive
 * @param max the cap, at least {@code initial}
 * @param multiplier growth of the ceiling per retry, at least 1
 * @param random the jitter source (seeded in tests)
 */
public record Backoff(Duration initial, Duration max, double multiplier, RandomGenerator random) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(random, "random");
    if (!initial.isPositive()) {
      throw new IllegalArgumentException("backoff initial must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
    }
  }

  /** A ceiling that doubles per retry, from {@code initial} up to {@code max}. */
  public static Backoff doubling(Duration initial, Duration max, RandomGenerator random) {
    return new Backoff(initial, max, 2.0, random);
  }

  /** The ceiling of retry number {@code attempt} (1-based): the longest delay it may draw. */
  public Duration ceiling(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 1);
    return Duration.ofNanos((long) Math.min(nanos, max.toNanos()));
  }

  /** The delay before retry number {@code attempt} (1-based): uniform in [0, ceiling]. */
  public Duration delay(int attempt) {
    return Duration.ofNanos(random.nextLong(ceiling(attempt).toNanos() + 1));
  }
}
