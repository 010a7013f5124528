package io.renderrelay.worker.job.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

  private final PollSchedule schedule =
      new PollSchedule(
          List.of(
              new PollTier("now", Duration.ZERO, 0),
              new PollTier("t10", Duration.ofSeconds(10), 2),
              new PollTier("t30", Duration.ofSeconds(30), 3),
              new PollTier("t120", Duration.ofSeconds(120), 0)));

  @Test
  void walksTheTiersInOrderAndStaysOnTheLast() {
    assertThat(schedule.tierFor(1).topic()).isEqualTo("t10");
    assertThat(schedule.tierFor(2).topic()).isEqualTo("t10");
    assertThat(schedule.tierFor(3).topic()).isEqualTo("t30");
    assertThat(schedule.tierFor(5).topic()).isEqualTo("t30");
    assertThat(schedule.tierFor(6).topic()).isEqualTo("t120");
    assertThat(schedule.tierFor(600).topic()).isEqualTo("t120");
    assertThat(schedule.callbackTier().topic()).isEqualTo("now");
    assertThat(schedule.topics()).hasSize(4);
  }

  @Test
  void refusesTiersWithoutACallbackTier() {
    assertThatThrownBy(() -> new PollSchedule(List.of(new PollTier("t", Duration.ofSeconds(1), 1))))
        .hasMessageContaining("zero-delay");
  }
}
