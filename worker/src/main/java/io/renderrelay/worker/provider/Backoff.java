package io.renderrelay.worker.provider;

import java.time.Duration;
import java.util.Objects;
import java.util.Random;

/**
 * Capped, jittered exponential backoff.
 *
 * <p>Attempt {@code n} (1-based) has the base delay {@code min(max, initial * multiplier^(n-1))};
 * the jittered delay lies in {@code [base * (1 - jitter), min(max, base * (1 + jitter))]}.
 *
 * @param initial the first delay, positive
 * @param max the cap, at least {@code initial}
 * @param multiplier growth per attempt, at least 1
 * @param jitter the relative spread, 0 (none) to 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

  public Backoff {
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(max, "max");
    if (!initial.isPositive()) {
      throw new IllegalArgumentException("backoff initial must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff max " + max + " is below initial " + initial);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("backoff jitter must be in [0, 1], was " + jitter);
    }
  }

  /** The delay before retry number {@code attempt} (1-based) without jitter, capped. */
  public Duration base(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based, was " + attempt);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, attempt - 1);
    return Duration.ofNanos((long) Math.min(nanos, max.toNanos()));
  }

  /** The jittered delay before retry number {@code attempt}, never above {@link #max()}. */
  public Duration delay(int attempt, Random random) {
    double base = base(attempt).toNanos();
    double factor = 1.0 - jitter + 2.0 * jitter * random.nextDouble();
    return Duration.ofNanos((long) Math.min(base * factor, max.toNanos()));
  }
}
