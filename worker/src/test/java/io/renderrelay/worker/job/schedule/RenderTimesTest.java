package io.renderrelay.worker.job.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.RenderTimePrior;
import java.time.Duration;
import java.util.Map;
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
    assertThat(times.quantile(JobType.RESTYLE, 0.99)).contains(Duration.ofSeconds(30));
    assertThat(times.quantile(JobType.ACT_ONE, 0.5)).isEmpty();
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
