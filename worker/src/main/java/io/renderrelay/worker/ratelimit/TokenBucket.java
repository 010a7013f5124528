package io.renderrelay.worker.ratelimit;

import io.renderrelay.worker.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The worker's one token bucket: {@code permitsPerSecond} permits a second, at most {@code burst}
 * saved up while idle. Thread-safe; time comes from an injected nanosecond source (a {@link Clock}
 * or a monotonic counter), so tests drive it with a fake clock and never sleep.
 *
 * <p>Permits are reserved: {@link #reserve()} takes the next permit at once, even one that only
 * becomes due later, and says how long to wait for it; callers wait outside the lock, so waiting
 * callers are served in order at the rate. {@link #tryAcquire()} takes a permit only if one is due
 * now. Used by the provider limiters (with a 429 back-off, {@code provider.RateLimiter}), the
 * callback listener's rate limit and the CLI's replay rate.
 */
public final class TokenBucket {

  private final double permitsPerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private double share = 1.0;
  private double stored;

  /** When the bucket was last settled; ahead of now while permits are reserved ahead. */
  private long nextFree;

  /**
   * @param permitsPerSecond the sustained rate, positive
   * @param burst how many permits may be taken at once after a quiet period, at least 1
   * @param initial permits there at the start, 0 to {@code burst}
   * @param nanoTime the time in nanoseconds (any origin, never going backwards by much)
   */
  public TokenBucket(double permitsPerSecond, double burst, double initial, LongSupplier nanoTime) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException(
          "permits per second must be a positive number, was " + permitsPerSecond);
    }
    if (!(burst >= 1)) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    if (!(initial >= 0 && initial <= burst)) {
      throw new IllegalArgumentException("initial permits must be in [0, burst], was " + initial);
    }
    this.permitsPerSecond = permitsPerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.stored = initial;
    this.nextFree = nanoTime.getAsLong();
  }

  /** A full bucket on {@code clock}. */
  public static TokenBucket full(double permitsPerSecond, double burst, Clock clock) {
    return new TokenBucket(permitsPerSecond, burst, burst, () -> nanos(clock.instant()));
  }

  /** Nanoseconds since the epoch of {@code instant} (the bucket's time on a {@link Clock}). */
  public static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  /** Takes one permit if one is due now; never waits. */
  public synchronized boolean tryAcquire() {
    long now = settle();
    if (now < nextFree || stored < 1.0) {
      return false;
    }
    stored -= 1.0;
    return true;
  }

  /** Reserves the next permit; returns how long until it is due (zero: now). */
  public synchronized Duration reserve() {
    long now = settle();
    double fromStore = Math.min(1.0, stored);
    stored -= fromStore;
    double fresh = 1.0 - fromStore;
    nextFree += (long) Math.ceil(fresh / (permitsPerSecond * share) * 1e9);
    return Duration.ofNanos(Math.max(0, nextFree - now));
  }

  /** Takes one permit, waiting through {@code sleeper} until it is due. */
  public void acquire(Sleeper sleeper) throws InterruptedException {
    Duration wait = reserve();
    if (wait.isPositive()) {
      sleeper.sleep(wait);
    }
  }

  /** Hands back a reserved permit that will not be used: the next caller may take it. */
  public synchronized void giveBack() {
    stored = Math.min(burst, stored + 1.0);
  }

  /**
   * No permit is due before {@code nanos} (same time source); then one is, and the rest come at the
   * sustained rate (no burst right after, e.g. a provider's 429).
   */
  public synchronized void holdUntil(long nanos) {
    if (nanos > nextFree) {
      nextFree = nanos;
      stored = 1.0;
    }
  }

  /**
   * Uses only {@code fraction} of the configured rate from now on (a budget shared by replicas:
   * each takes the share of the partitions it owns).
   */
  public synchronized void share(double fraction) {
    if (!(fraction > 0) || fraction > 1) {
      throw new IllegalArgumentException("share must be in (0, 1], was " + fraction);
    }
    share = fraction;
  }

  /** The rate in force: the configured one times the share. */
  public synchronized double permitsPerSecond() {
    return permitsPerSecond * share;
  }

  /** The burst. */
  public double burst() {
    return burst;
  }

  /** Saves up what accrued since the bucket was last settled; returns now. */
  private long settle() {
    long now = nanoTime.getAsLong();
    if (now > nextFree) {
      double idleSeconds = (now - nextFree) / 1e9;
      stored = Math.min(burst, stored + idleSeconds * permitsPerSecond * share);
      nextFree = now;
    }
    return now;
  }
}
