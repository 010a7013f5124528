package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.retry.Sleeper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final FakeSleeper sleeper = new FakeSleeper(clock);
  private final RecordingMetrics metrics = new RecordingMetrics();

  private RateLimiter limiter(double perSecond, int burst) {
    return new RateLimiter("poll", perSecond, burst, clock, sleeper, metrics);
  }

  @Test
  void burstGoesThroughThenTheRateHolds() throws Exception {
    RateLimiter limiter = limiter(2.0, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.acquire()).isZero();
    }
    assertThat(limiter.acquire()).isEqualTo(Duration.ofMillis(500));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofMillis(500));
    assertThat(sleeper.total()).isEqualTo(Duration.ofSeconds(1));
    assertThat(metrics.waits)
        .containsExactly(
            new RecordingMetrics.Wait("poll", Duration.ofMillis(500)),
            new RecordingMetrics.Wait("poll", Duration.ofMillis(500)));
  }

  @Test
  void aShareOfTheRateSpacesCallersByTheSharedRate() throws Exception {
    RateLimiter limiter = limiter(4.0, 1);
    limiter.share(0.25);
    assertThat(limiter.permitsPerSecond()).isEqualTo(1.0);
    limiter.acquire();
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(1));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> limiter.share(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void idleTimeRefillsUpToTheBurstOnly() throws Exception {
    RateLimiter limiter = limiter(1.0, 2);
    limiter.acquire();
    limiter.acquire();
    clock.advance(Duration.ofSeconds(60));
    assertThat(limiter.acquire()).isZero();
    assertThat(limiter.acquire()).isZero();
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void waitingCallersAreSpacedAtTheRate() throws Exception {
    RateLimiter limiter = limiter(4.0, 1);
    limiter.acquire();
    // ten callers in a row, without the clock moving between reservations, would be spaced:
    // here the fake sleeper moves the clock, so each waits exactly one interval
    for (int i = 0; i < 10; i++) {
      assertThat(limiter.acquire()).isEqualTo(Duration.ofMillis(250));
    }
    assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void backOffBlocksEveryoneUntilThenAndRestartsEmpty() throws Exception {
    RateLimiter limiter = limiter(10.0, 5);
    Instant until = clock.instant().plusSeconds(3);
    limiter.backOffUntil(until);
    assertThat(limiter.blockedUntil()).contains(until);
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(3));
    assertThat(clock.instant()).isEqualTo(until);
    // the bucket restarted empty: the next permit comes at the rate, not as a burst
    assertThat(limiter.acquire()).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.blockedUntil()).isEmpty();
  }

  @Test
  void backOffSetWhileACallerWaitsExtendsItsWait() throws Exception {
    RateLimiter[] self = new RateLimiter[1];
    Sleeper sleeperThatSees429 =
        d -> {
          sleeper.sleep(d);
          if (sleeper.sleeps.size() == 1) {
            self[0].backOffUntil(clock.instant().plusSeconds(2));
          }
        };
    self[0] = new RateLimiter("submit", 1.0, 1, clock, sleeperThatSees429, metrics);
    self[0].acquire();
    Duration waited = self[0].acquire();
    assertThat(waited).isEqualTo(Duration.ofSeconds(3));
    assertThat(metrics.waits).containsExactly(new RecordingMetrics.Wait("submit", waited));
  }

  @Test
  void shorterBackOffDoesNotShortenALongerOne() throws Exception {
    RateLimiter limiter = limiter(10.0, 1);
    limiter.backOffUntil(clock.instant().plusSeconds(10));
    limiter.backOffUntil(clock.instant().plusSeconds(1));
    assertThat(limiter.acquire()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> limiter(0, 1)).hasMessageContaining("permits per second");
    assertThatThrownBy(() -> limiter(Double.NaN, 1)).hasMessageContaining("permits per second");
    assertThatThrownBy(() -> limiter(1, 0)).hasMessageContaining("burst");
  }

  @Test
  void aCallerThatStopsWaitingTakesNoPermitAndHandsItsSlotBack() throws Exception {
    RateLimiter limiter = limiter(1.0, 1);
    assertThat(limiter.acquire(() -> true)).contains(Duration.ZERO);
    int[] checks = {0};
    assertThat(limiter.acquire(() -> ++checks[0] < 3)).isEmpty();
    assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(200)); // two slices, then gave up
    // the slot given back is used by the next caller: it waits only for that slot (1 s after the
    // first permit), not for one behind it
    assertThat(limiter.acquire(() -> true)).contains(Duration.ofMillis(800));
  }
}
