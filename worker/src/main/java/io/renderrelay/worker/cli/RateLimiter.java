package io.renderrelay.worker.cli;

import io.renderrelay.worker.retry.Sleeper;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code permitsPerSecond} tokens a second, at most {@code burst} saved up. The
 * time source and the sleeper are injected, so tests drive it with a fake clock and never sleep.
 */
public final class RateLimiter {

  private final double permitsPerSecond;
  private final double burst;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private double tokens;
  private long lastRefill;

  /**
   * @param permitsPerSecond the sustained rate, above 0
   * @param burst how many permits may be taken at once after idling, at least 1
   */
  public RateLimiter(
      double permitsPerSecond, double burst, LongSupplier nanoTime, Sleeper sleeper) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number, got " + permitsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    this.permitsPerSecond = permitsPerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
    this.tokens = 1;
    this.lastRefill = nanoTime.getAsLong();
  }

  /** Takes one permit, waiting until one is there. */
  public void acquire() throws InterruptedException {
    while (true) {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      long waitNanos = (long) Math.ceil((1 - tokens) / permitsPerSecond * 1e9);
      sleeper.sleep(Duration.ofNanos(Math.max(waitNanos, 1)));
    }
  }

  /** Takes one permit if it is there now. */
  public boolean tryAcquire() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - lastRefill;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed / 1e9 * permitsPerSecond);
      lastRefill = now;
    }
  }
}
