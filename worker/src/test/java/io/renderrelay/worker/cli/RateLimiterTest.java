package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.ratelimit.TokenBucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay rate: the shared token bucket as the CLI sets it up (burst 1, one permit at once). */
class RateLimiterTest {

  /** A fake monotonic clock; sleeping advances it. */
  static final class FakeTime implements io.renderrelay.worker.retry.Sleeper {
    long nanos = 1_000_000_000L;
    final List<Duration> sleeps = new ArrayList<>();

    @Override
    public void sleep(Duration d) {
      sleeps.add(d);
      nanos += d.toNanos();
    }
  }

  @Test
  void capsTheRateWithoutRealSleeping() throws InterruptedException {
    FakeTime time = new FakeTime();
    TokenBucket limiter = new TokenBucket(5, 1, 1, () -> time.nanos);
    long start = time.nanos;
    for (int i = 0; i < 11; i++) {
      limiter.acquire(time);
    }
    // the first permit is there at once, the next ten come every 200 ms
    assertThat(Duration.ofNanos(time.nanos - start))
        .isBetween(Duration.ofMillis(1999), Duration.ofMillis(2001));
    assertThat(time.sleeps).hasSize(10);
  }

  @Test
  void idleTimeSavesUpToTheBurstOnly() throws InterruptedException {
    FakeTime time = new FakeTime();
    TokenBucket limiter = new TokenBucket(10, 3, 1, () -> time.nanos);
    limiter.acquire(time);
    time.nanos += Duration.ofSeconds(60).toNanos();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isTrue();
    assertThat(limiter.tryAcquire()).isFalse();
    time.nanos += Duration.ofMillis(100).toNanos();
    assertThat(limiter.tryAcquire()).isTrue();
  }

  @Test
  void slowRatesWaitTheWholeInterval() throws InterruptedException {
    FakeTime time = new FakeTime();
    TokenBucket limiter = new TokenBucket(Rate.parse("30/m").perSecond(), 1, 1, () -> time.nanos);
    limiter.acquire(time);
    long before = time.nanos;
    limiter.acquire(time);
    assertThat(Duration.ofNanos(time.nanos - before))
        .isBetween(Duration.ofMillis(1999), Duration.ofMillis(2001));
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, 1, () -> 0))
        .hasMessageContaining("positive number");
    assertThatThrownBy(() -> Rate.parse("fast")).hasMessageContaining("not a rate");
    assertThatThrownBy(() -> Rate.parse("0/s")).hasMessageContaining("above 0");
    assertThat(Rate.parse("300/m").perSecond()).isEqualTo(5.0);
    assertThat(Rate.parse("7").perSecond()).isEqualTo(7.0);
    assertThat(Rate.parse("3600/h").perSecond()).isEqualTo(1.0);
  }
}
