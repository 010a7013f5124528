package io.renderrelay.worker.storage;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Capped exponential backoff with "equal jitter": the nominal delay of attempt n is {@code min(max,
 * initial * 2^(n-1))}, and the actual delay is uniformly drawn from [nominal/2, nominal].
 *
 * @param initial nominal delay after the first failure
 * @param max cap of the nominal delay
 * @param random jitter source, injected for deterministic tests
 */
public record Backoff(Duration initial, Duration max, RandomGenerator random) {

  public Backoff {
    Objects.requireNonNull(random, "random");
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max");
    }
  }

  /** The cap-limited nominal delay after failed attempt {@code attempt} (1-based). */
  public Duration nominal(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt starts at 1");
    }
    long initialMs = initial.toMillis();
    long maxMs = max.toMillis();
    int shift = Math.min(attempt - 1, 62);
    long ms = initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
    return Duration.ofMillis(ms);
  }

  /** The jittered delay after failed attempt {@code attempt}. */
  public Duration delay(int attempt) {
    long nominal = nominal(attempt).toMillis();
    long half = nominal / 2;
    return Duration.ofMillis(half + random.nextLong(nominal - half + 1));
  }
}
