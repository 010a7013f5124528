package io.renderrelay.worker.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.provider.RetryPolicy;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one backoff: exponential ceilings, capped, and full jitter under them. */
class BackoffTest {

  private final Backoff backoff =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), 2.0, new Random(42));

  @Test
  void ceilingGrowsExponentiallyUpToTheCap() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofSeconds(2));
    Backoff tripling =
        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, new Random());
    assertThat(tripling.ceiling(3)).isEqualTo(Duration.ofMillis(900));
    assertThat(tripling.ceiling(4)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void fullJitterDrawsFromZeroToTheCeilingNeverAboveTheCap() {
    for (int attempt = 1; attempt <= 40; attempt++) {
      long ceiling = backoff.ceiling(attempt).toNanos();
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delay(attempt).toNanos()).isBetween(0L, ceiling);
      }
    }
  }

  @Test
  void fullJitterSpreadsOverTheWholeWindow() {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
      long d = backoff.delay(5).toMillis(); // ceiling 1600 ms
      min = Math.min(min, d);
      max = Math.max(max, d);
      sum += d;
    }
    assertThat(min).isLessThan(100);
    assertThat(max).isGreaterThan(1500);
    assertThat(sum / 2000).isBetween(700L, 900L); // uniform: mean about half the ceiling
  }

  @Test
  void sameSeedSameDelays() {
    Backoff a = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(5));
    Backoff b = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(2), new Random(5));
    for (int attempt = 1; attempt < 8; attempt++) {
      assertThat(a.delay(attempt)).isEqualTo(b.delay(attempt));
    }
  }

  @Test
  void invalidSettingsAreRefused() {
    Random r = new Random();
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, r))
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, r))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, r))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> backoff.ceiling(0)).hasMessageContaining("1-based");
    assertThatThrownBy(() -> new RetryPolicy(backoff, 0)).hasMessageContaining("maxAttempts");
  }
}
