package io.renderrelay.worker.provider;

import io.renderrelay.worker.ratelimit.TokenBucket;
import io.renderrelay.worker.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A provider rate limit shared by the whole process (one instance for submits, one for polls): the
 * shared {@link TokenBucket}, plus the provider's 429 back-off, a wait that can be called off, and
 * the wait metric.
 *
 * <p>Callers reserve a permit under the lock and wait outside it, so waiting callers are served in
 * order at the configured rate after an initial burst. A 429 from the provider calls {@link
 * #backOffUntil(Instant)}: nobody gets a permit before that instant, and no burst follows it. Time
 * comes from the injected {@link Clock} and waits go through the injected {@link Sleeper}, so tests
 * use a fake clock and never sleep.
 */
public final class RateLimiter {

  /** How often a waiting {@link #acquire(BooleanSupplier)} asks whether it should go on. */
  static final Duration WAIT_SLICE = Duration.ofMillis(100);

  private final String name;
  private final TokenBucket bucket;
  private final Clock clock;
  private final Sleeper sleeper;
  private final ProviderMetrics metrics;
  private Instant blockedUntil;

  /**
   * @param name "submit" or "poll": the metric tag of waits
   * @param permitsPerSecond the sustained rate, positive
   * @param burst how many permits may be taken at once after a quiet period, at least 1
   */
  public RateLimiter(
      String name,
      double permitsPerSecond,
      int burst,
      Clock clock,
      Sleeper sleeper,
      ProviderMetrics metrics) {
    this.name = Objects.requireNonNull(name, "name");
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.bucket = TokenBucket.full(permitsPerSecond, burst, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rate limiter '" + name + "': " + e.getMessage(), e);
    }
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.blockedUntil = Instant.MIN;
  }

  /** The limiter's name ("submit" or "poll"). */
  public String name() {
    return name;
  }

  /**
   * Takes one permit, waiting as long as needed (also past a back-off set meanwhile).
   *
   * @return how long the caller waited
   */
  public Duration acquire() throws InterruptedException {
    Duration waited = reserve();
    sleeper.sleep(waited);
    Duration more;
    while ((more = remainingBlock()).isPositive()) {
      sleeper.sleep(more);
      waited = waited.plus(more);
    }
    if (waited.isPositive()) {
      metrics.onRateLimitWait(name, waited);
    }
    return waited;
  }

  /**
   * Takes one permit like {@link #acquire()}, but stops waiting as soon as {@code keepWaiting}
   * turns false (checked every {@link #WAIT_SLICE}); the reserved permit is then handed back.
   *
   * @return how long the caller waited, or empty when it stopped waiting (no permit taken)
   * @throws InterruptedException when interrupted while waiting (the permit is handed back)
   */
  public Optional<Duration> acquire(BooleanSupplier keepWaiting) throws InterruptedException {
    Instant start = clock.instant();
    Instant slot = clock.instant().plus(reserve());
    try {
      Duration left;
      while ((left = later(slot, remainingBlock())).isPositive()) {
        if (!keepWaiting.getAsBoolean()) {
          giveBack();
          return Optional.empty();
        }
        sleeper.sleep(left.compareTo(WAIT_SLICE) < 0 ? left : WAIT_SLICE);
      }
    } catch (InterruptedException e) {
      giveBack();
      throw e;
    }
    Duration waited = Duration.between(start, clock.instant());
    if (waited.isPositive()) {
      metrics.onRateLimitWait(name, waited);
    }
    return Optional.of(waited);
  }

  private Duration later(Instant slot, Duration block) {
    Duration toSlot = Duration.between(clock.instant(), slot);
    return toSlot.compareTo(block) > 0 ? toSlot : block;
  }

  /** A reserved permit that will not be used: the next caller may take it. */
  private void giveBack() {
    bucket.giveBack();
  }

  /**
   * Lets no caller through before {@code until} (a provider 429); then one permit is ready and the
   * rest come at the sustained rate (no burst right after a back-off).
   */
  public synchronized void backOffUntil(Instant until) {
    bucket.holdUntil(TokenBucket.nanos(until));
    if (until.isAfter(blockedUntil)) {
      blockedUntil = until;
    }
  }

  /**
   * Uses only {@code fraction} of the configured rate from now on: with a global budget shared by
   * replicas, each replica takes the share of the partitions it owns.
   */
  public void share(double fraction) {
    try {
      bucket.share(fraction);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rate limiter '" + name + "': " + e.getMessage(), e);
    }
  }

  /** The rate in force: the configured one times the share. */
  public double permitsPerSecond() {
    return bucket.permitsPerSecond();
  }

  /** How long the current provider back-off still lasts, if one is running. */
  public Optional<Duration> backOffLeft() {
    Duration left = remainingBlock();
    return left.isPositive() ? Optional.of(left) : Optional.empty();
  }

  /** The end of the current provider back-off, if one is running. */
  public synchronized Optional<Instant> blockedUntil() {
    return blockedUntil.isAfter(clock.instant()) ? Optional.of(blockedUntil) : Optional.empty();
  }

  private Duration reserve() {
    return bucket.reserve();
  }

  private synchronized Duration remainingBlock() {
    Instant now = clock.instant();
    return blockedUntil.isAfter(now) ? Duration.between(now, blockedUntil) : Duration.ZERO;
  }

  @Override
  public String toString() {
    return "RateLimiter["
        + name
        + ", "
        + permitsPerSecond()
        + "/s, burst "
        + (int) bucket.burst()
        + "]";
  }
}
