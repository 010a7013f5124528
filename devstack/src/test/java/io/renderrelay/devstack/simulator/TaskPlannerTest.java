package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.renderrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fault selection and render-time sampling with seeded randomness. */
class TaskPlannerTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private List<SimTask> plan(Faults faults, SimulatorConfig cfg, long seed, int n) {
    TaskPlanner planner =
        new TaskPlanner(clock, new Dice(seed), faults, cfg, cfg::renderTimeOverride);
    List<SimTask> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(planner.plan(JobKind.ACT_ONE, "http://127.0.0.1:9/callbacks/j" + i + "/t", ""));
    }
    return out;
  }

  private static long count(List<SimTask> tasks, SimTask.Outcome outcome) {
    return tasks.stream().filter(t -> t.outcome() == outcome).count();
  }

  @Test
  void failureProbabilitiesAreHonouredAndSeeded() {
    Faults faults = new Faults();
    faults.failTasks(0.3);
    faults.moderationFailures(new Faults.Moderation(0.1, "SAFETY.INPUT.IMAGE: nope"));
    List<SimTask> a = plan(faults, SimulatorConfig.defaults(), 5, 4000);
    long moderated = count(a, SimTask.Outcome.FAILED_MODERATION);
    long refunded = count(a, SimTask.Outcome.FAILED_REFUNDED);
    assertThat(moderated / 4000.0).isCloseTo(0.1, within(0.02));
    // refunded failures are drawn among the tasks not moderated
    assertThat(refunded / 4000.0).isCloseTo(0.9 * 0.3, within(0.03));
    List<SimTask> b = plan(faults, SimulatorConfig.defaults(), 5, 4000);
    assertThat(b)
        .extracting(SimTask::outcome)
        .containsExactlyElementsOf(a.stream().map(SimTask::outcome).toList());
    assertThat(b)
        .extracting(SimTask::renderTime)
        .containsExactlyElementsOf(a.stream().map(SimTask::renderTime).toList());
  }

  @Test
  void noFaultsMeansEverythingSucceedsWithKnownStatuses() {
    List<SimTask> tasks = plan(new Faults(), SimulatorConfig.defaults(), 1, 500);
    assertThat(count(tasks, SimTask.Outcome.SUCCEEDED)).isEqualTo(500);
    assertThat(tasks).allMatch(t -> t.unknownStatus() == null && t.failReason().isEmpty());
  }

  @Test
  void unknownStatusAtProbabilityOne() {
    Faults faults = new Faults();
    faults.unknownStatus(new Faults.UnknownStatus(1.0, null));
    assertThat(plan(faults, SimulatorConfig.defaults(), 1, 10))
        .allMatch(t -> "WEIRD_STATE".equals(t.unknownStatus()));
  }

  @Test
  void timeScaleShrinksSampledRenderTimes() {
    SimulatorConfig cfg = SimulatorConfig.defaults().withTimeScale(0.01);
    List<Duration> times =
        plan(new Faults(), cfg, 9, 4001).stream().map(SimTask::renderTime).sorted().toList();
    assertThat(times.get(2000).toMillis() / 1000.0).isCloseTo(1.8, within(0.1));
    SimulatorConfig instant = SimulatorConfig.defaults().withTimeScale(0);
    assertThat(plan(new Faults(), instant, 9, 10)).allMatch(t -> t.renderTime().isZero());
  }

  @Test
  void overrideWinsOverSampling() {
    SimulatorConfig cfg = SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(3));
    assertThat(plan(new Faults(), cfg, 9, 10))
        .allMatch(t -> t.renderTime().equals(Duration.ofSeconds(3)));
  }

  @Test
  void diceEdgesDrawNothing() {
    Dice d = new Dice(1);
    assertThat(d.roll(0)).isFalse();
    assertThat(d.roll(1)).isTrue();
    Dice fresh = new Dice(1);
    assertThat(d.uniform(0, 1)).isEqualTo(fresh.uniform(0, 1));
  }
}
