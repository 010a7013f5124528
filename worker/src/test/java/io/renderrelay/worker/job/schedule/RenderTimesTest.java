package io.renderrelay.worker.job.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.RenderTimePrior;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenderTimesTest {

  private final RenderTimePrior prior =
      new RenderTimePrior(Duration.ofSeconds(150), Duration.ofSeconds(480));

  @Test
  void thePriorIsALognormalThroughItsMedianAndP95() {
    assertThat(Lognormal.quantile(prior, 0.5)).isEqualTo(Duration.ofSeconds(150));
    assertThat(Lognormal.quantile(prior, 0.95).toMillis()).isBetween(479_900L, 480_100L);
    assertThat(Lognormal.quantile(prior, 0.05).toMillis())
        .isBetween(46_800L, 46_950L); // 150^2 / 480
  }

  @Test
  void observedRendersReplaceThePriorOnceThereAreEnough() {
    RenderTimes times = new RenderTimes(3, Map.of(JobType.RESTYLE, prior));
    times.observe(JobType.RESTYLE, Duration.ofSeconds(10), true);
    times.observe(JobType.RESTYLE, Duration.ofSeconds(20), true);
    assertThat(times.quantile(JobType.RESTYLE, 0.5)).contains(Duration.ofSeconds(150));
    times.observe(JobType.RESTYLE, Duration.ofSeconds(30), true);
    assertThat(times.quantile(JobType.RESTYLE, 0.5)).contains(Duration.ofSeconds(20));
    // three renders support no 99th percentile: the fitted lognormal's, above the largest
    assertThat(times.quantile(JobType.RESTYLE, 0.99).orElseThrow())
        .isGreaterThan(Duration.ofSeconds(30));
    assertThat(times.quantile(JobType.ACT_ONE, 0.5)).isEmpty();
  }

  // issue 15 (polls): with callbacks arriving the scheduled polls wait for the 95th, 99th and
  // 99.9th percentile. From 100 renders the empirical 99.9th percentile is their maximum, far
  // short of the distribution's, so every render beyond it was polled at the longest tier until
  // its callback came (the provider-calls bench: 43 of 243 polls found the render running).
  @Test
  void aTailQuantileTheWindowCannotSupportComesFromALognormalFittedToIt() {
    RenderTimes times = new RenderTimes(20, Map.of());
    Random random = new Random(42);
    double mu = Math.log(150_000);
    double sigma = Math.log(480.0 / 150) / 1.6448536269514722;
    for (int i = 0; i < 100; i++) {
      long millis = Math.round(Math.exp(mu + sigma * random.nextGaussian()));
      times.observe(JobType.RESTYLE, Duration.ofMillis(millis), true);
    }
    long p999 = Lognormal.quantile(prior, 0.999).toMillis(); // about 1,334 s
    assertThat(times.quantile(JobType.RESTYLE, 0.999).orElseThrow().toMillis())
        .isBetween(p999 * 7 / 10, p999 * 14 / 10);
    // a quantile with enough renders beyond it stays the observed one
    assertThat(times.quantile(JobType.RESTYLE, 0.5).orElseThrow().toMillis())
        .isBetween(120_000L, 180_000L);
  }

  // Review of issue 15 (production life: clock skew, renders of 0 ms). A few renders that took no
  // time at all (a replica whose clock runs behind stamps a completion close to its submit; a
  // provider answering a repeated task at once) must not stretch the fitted tail. Fitted by the
  // mean and deviation of all the logarithms, five 0 ms renders among 95 of 140..160 s put the
  // 97th percentile at about three hours, so without callbacks a render just past the slowest
  // waited poll.learned.max-wait (15 min) for its next poll instead of a few seconds.
  @Test
  void aFewInstantRendersDoNotStretchTheFittedTail() {
    RenderTimes times = new RenderTimes(20, Map.of());
    for (int i = 0; i < 95; i++) {
      times.observe(JobType.RESTYLE, Duration.ofMillis(140_000 + i * 20_000L / 94), false);
    }
    for (int i = 0; i < 5; i++) {
      times.observe(JobType.RESTYLE, Duration.ZERO, false);
    }
    assertThat(times.quantile(JobType.RESTYLE, 0.97).orElseThrow())
        .isBetween(Duration.ofSeconds(159), Duration.ofSeconds(180));
    assertThat(times.quantile(JobType.RESTYLE, 0.999).orElseThrow())
        .isBetween(Duration.ofSeconds(160), Duration.ofSeconds(200));
  }

  // Review of issue 15: a window of renders that all took 0 ms (logarithm of nothing) gives
  // finite, tiny quantiles, never NaN or a negative wait.
  @Test
  void aWindowOfInstantRendersHasTinyFiniteQuantiles() {
    RenderTimes times = new RenderTimes(5, Map.of());
    for (int i = 0; i < 100; i++) {
      times.observe(JobType.ACT_ONE, Duration.ZERO, true);
    }
    for (double p : new double[] {0.5, 0.95, 0.99, 0.999}) {
      assertThat(times.quantile(JobType.ACT_ONE, p).orElseThrow())
          .as("p %s", p)
          .isBetween(Duration.ZERO, Duration.ofMillis(1));
    }
  }

  @Test
  void onlyTheLastWindowOfRendersCounts() {
    RenderTimes times = new RenderTimes(1, Map.of());
    for (int i = 0; i < RenderTimes.WINDOW; i++) {
      times.observe(JobType.ACT_ONE, Duration.ofHours(1), true);
    }
    for (int i = 0; i < RenderTimes.WINDOW; i++) {
      times.observe(JobType.ACT_ONE, Duration.ofSeconds(5), true);
    }
    assertThat(times.quantile(JobType.ACT_ONE, 0.999)).contains(Duration.ofSeconds(5));
  }

  @Test
  void callbacksCountAsArrivingUntilScheduledPollsFindMostRendersDone() {
    RenderTimes times = new RenderTimes(20, Map.of());
    assertThat(times.callbacksArriving()).isTrue();
    for (int i = 0; i < 7; i++) {
      times.observe(JobType.RESTYLE, Duration.ofSeconds(100), false);
    }
    assertThat(times.callbacksArriving()).isFalse();
    for (int i = 0; i < 10; i++) {
      times.observe(JobType.RESTYLE, Duration.ofSeconds(100), true);
    }
    assertThat(times.callbacksArriving()).isTrue();
  }
}
