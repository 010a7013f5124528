package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The task state machine, driven by a hand-moved clock through the planner. */
class SimTaskTest {
  private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

  private final MutableClock clock = new MutableClock(T0);
  private final Faults faults = new Faults();

  private SimTask plan(Duration renderTime) {
    SimulatorConfig cfg = SimulatorConfig.defaults().withTaskNotExistWindow(Duration.ofSeconds(2));
    return new TaskPlanner(clock, new Dice(1), faults, cfg, () -> renderTime)
        .plan(JobKind.RESTYLE, "http://127.0.0.1:1/callbacks/job-1/tok", "pixelated style");
  }

  @Test
  void walksNotVisibleQueuedRunningSucceededByClock() {
    SimTask t = plan(Duration.ofSeconds(100));
    assertThat(t.phaseAt(T0)).isInstanceOf(TaskPhase.NotVisible.class);
    assertThat(t.phaseAt(T0.plusMillis(1999))).isInstanceOf(TaskPhase.NotVisible.class);
    assertThat(t.phaseAt(T0.plusSeconds(2))).isInstanceOf(TaskPhase.Queued.class);
    assertThat(t.phaseAt(T0.plusSeconds(9))).isInstanceOf(TaskPhase.Queued.class);
    assertThat(t.phaseAt(T0.plusSeconds(10))).isEqualTo(new TaskPhase.Running(0));
    assertThat(t.phaseAt(T0.plusSeconds(55))).isEqualTo(new TaskPhase.Running(50));
    assertThat(t.phaseAt(T0.plusMillis(99_999))).isEqualTo(new TaskPhase.Running(99));
    assertThat(t.phaseAt(T0.plusSeconds(100)))
        .isEqualTo(new TaskPhase.Succeeded(T0.plusSeconds(100)));
    assertThat(t.phaseAt(T0.plusSeconds(100_000)).terminal()).isTrue();
  }

  @Test
  void zeroRenderTimeIsDoneAtFirstVisiblePoll() {
    SimTask t = plan(Duration.ZERO);
    assertThat(t.phaseAt(T0.plusMillis(1999))).isInstanceOf(TaskPhase.NotVisible.class);
    assertThat(t.phaseAt(T0.plusSeconds(2))).isInstanceOf(TaskPhase.Succeeded.class);
  }

  @Test
  void plannedFailuresShowOnlyAtTheEnd() {
    faults.failTasks(1.0);
    SimTask refunded = plan(Duration.ofSeconds(10));
    assertThat(refunded.phaseAt(T0.plusSeconds(5))).isInstanceOf(TaskPhase.Running.class);
    assertThat(refunded.phaseAt(T0.plusSeconds(10)))
        .isEqualTo(new TaskPhase.Failed(T0.plusSeconds(10), TaskPlanner.REFUNDED_REASON, false));

    faults.moderationFailures(new Faults.Moderation(1.0, null));
    SimTask moderated = plan(Duration.ofSeconds(10));
    assertThat(moderated.phaseAt(T0.plusSeconds(10)))
        .isEqualTo(
            new TaskPhase.Failed(
                T0.plusSeconds(10), "SAFETY.INPUT.TEXT: content moderation", true));
  }

  @Test
  void plannerUsesTheInjectedClockAndAttributesTheJob() {
    clock.advance(Duration.ofMinutes(3));
    SimTask t = plan(Duration.ofSeconds(1));
    assertThat(t.submittedAt()).isEqualTo(T0.plusSeconds(180));
    assertThat(t.visibleAt()).isEqualTo(T0.plusSeconds(182));
    assertThat(t.jobId()).isEqualTo("job-1");
    assertThat(t.taskId()).hasSize(36).isNotEqualTo(plan(Duration.ZERO).taskId());
  }
}
