package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, 0.25);

  @Test
  void baseGrowsExponentiallyUpToTheCap() {
    assertThat(backoff.base(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.base(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.base(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.base(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.base(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.base(10_000)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void jitterStaysWithinBoundsAndCap() {
    Random random = new Random(42);
    for (int attempt = 1; attempt <= 8; attempt++) {
      long base = backoff.base(attempt).toNanos();
      long lower = (long) (base * 0.75);
      long upper = Math.min((long) (base * 1.25), Duration.ofSeconds(2).toNanos());
      for (int i = 0; i < 500; i++) {
        long delay = backoff.delay(attempt, random).toNanos();
        assertThat(delay).isBetween(lower, upper);
      }
    }
  }

  @Test
  void jitterActuallySpreads() {
    Random random = new Random(7);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 1000; i++) {
      long d = backoff.delay(2, random).toMillis();
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(160);
    assertThat(max).isGreaterThan(240);
  }

  @Test
  void noJitterIsExact() {
    Backoff exact = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 0.0);
    assertThat(exact.delay(3, new Random())).isEqualTo(Duration.ofMillis(900));
    assertThat(exact.delay(4, new Random())).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void sameSeedSameDelays() {
    assertThat(backoff.delay(3, new Random(5))).isEqualTo(backoff.delay(3, new Random(5)));
  }

  @Test
  void invalidSettingsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
        .hasMessageContaining("jitter");
    assertThatThrownBy(() -> backoff.base(0)).hasMessageContaining("1-based");
    assertThatThrownBy(() -> new RetryPolicy(backoff, 0)).hasMessageContaining("maxAttempts");
  }
}
