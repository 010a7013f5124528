package io.renderrelay.worker.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class OffsetEstimatorTest {

  private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
  private final OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));

  /**
   * A round trip sent {@code at} (local), taking {@code rttMs}, stamped by a broker {@code off}.
   */
  private static ClockSample sample(Instant at, long rttMs, long appendAfterMs, Duration off) {
    return new ClockSample(at, at.plusMillis(rttMs), at.plusMillis(appendAfterMs).plus(off));
  }

  @Test
  void beforeAnySampleTheOffsetIsZeroAndTheFleetClockIsTheLocalOne() {
    Clock local = Clock.fixed(T0, ZoneOffset.UTC);
    assertThat(estimator.estimate()).isEmpty();
    assertThat(new FleetClock(local, estimator).instant()).isEqualTo(T0);
  }

  @Test
  void theShortestRoundTripWinsAndBoundsTheError() {
    Duration off = Duration.ofMinutes(-10); // this machine runs 10 minutes ahead
    estimator.add(sample(T0, 400, 390, off)); // a slow answer: the append came late
    estimator.add(sample(T0.plusSeconds(30), 4, 2, off));
    estimator.add(sample(T0.plusSeconds(60), 200, 10, off));
    OffsetEstimator.Estimate e = estimator.estimate().orElseThrow();
    assertThat(e.uncertainty()).isEqualTo(Duration.ofMillis(2));
    assertThat(e.offset().minus(off).abs()).isLessThanOrEqualTo(e.uncertainty());
    Clock local = Clock.fixed(T0.plusSeconds(90), ZoneOffset.UTC);
    assertThat(new FleetClock(local, estimator).instant())
        .isEqualTo(T0.plusSeconds(90).plus(e.offset()));
  }

  @Test
  void samplesOlderThanTheWindowAreForgotten() {
    estimator.add(sample(T0, 2, 1, Duration.ZERO));
    estimator.add(sample(T0.plus(Duration.ofMinutes(11)), 50, 25, Duration.ofMillis(30)));
    assertThat(estimator.estimate().orElseThrow().uncertainty()).isEqualTo(Duration.ofMillis(25));
  }

  @Test
  void aSteppedClockStartsAfreshInsteadOfKeepingTheOldBestSample() {
    estimator.add(sample(T0, 2, 1, Duration.ZERO));
    // this machine's clock was stepped 10 minutes back: the new sample contradicts the old one
    estimator.add(sample(T0.plusSeconds(30), 40, 20, Duration.ofMinutes(10)));
    assertThat(estimator.offset()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aSampleAcknowledgedBeforeItWasSentIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new ClockSample(T0, T0.minusMillis(1), T0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
