package io.renderrelay.worker.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A thread-safe token bucket on an injected clock: {@code perSecond} permits, burst capacity. */
public final class TokenBucket {
  private final double perSecond;
  private final double capacity;
  private final Clock clock;
  private double tokens;
  private Instant last;

  public TokenBucket(double perSecond, double capacity, Clock clock) {
    if (perSecond <= 0 || capacity < 1) {
      throw new IllegalArgumentException("perSecond must be > 0 and capacity >= 1");
    }
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.clock = clock;
    this.tokens = capacity;
    this.last = clock.instant();
  }

  /** Takes one permit if available; never waits. */
  public synchronized boolean tryAcquire() {
    Instant now = clock.instant();
    Duration elapsed = Duration.between(last, now);
    if (!elapsed.isNegative()) {
      tokens = Math.min(capacity, tokens + elapsed.toNanos() / 1e9 * perSecond);
    }
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
