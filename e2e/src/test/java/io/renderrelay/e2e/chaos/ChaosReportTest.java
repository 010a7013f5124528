package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChaosReportTest {

  private static ChaosReport report(
      int lost, List<String> violations, List<Killer.KillRecord> kills) {
    return new ChaosReport(
        List.of("kill"),
        10,
        7,
        1,
        2 - lost,
        1,
        lost,
        lost,
        0,
        0,
        0,
        new TreeMap<>(Map.of("aborted_events", 1L)),
        new TreeMap<>(Map.of("AMBIGUOUS_SUBMIT", 2)),
        new TreeMap<>(Map.of("submit answer lost [paid tasks=1]", 2)),
        kills,
        List.of("broker restarted in 900 ms"),
        violations);
  }

  @Test
  void theSummaryLineHasTheAgreedFormatAndComesLast() {
    ChaosReport r = report(0, List.of(), List.of());
    assertThat(r.line())
        .isEqualTo(
            "chaos: scenarios=kill jobs=10 completed=7 failed=1 ambiguous=2 unpaid_ambiguous=1"
                + " stuck=0 lost=0 duplicate_events=0 double_paid=0 bad_objects=0");
    assertThat(r.lines()).last().isEqualTo(r.line());
    assertThat(r.lines()).contains("chaos: AMBIGUOUS x2: submit answer lost [paid tasks=1]");
    assertThat(r.ok()).isTrue();
  }

  @Test
  void aViolationMakesTheRunFailAndIsListed() {
    ChaosReport r = report(1, List.of("lost: no terminal event for j1"), List.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.lines()).contains("chaos: VIOLATION lost: no terminal event for j1");
  }

  @Test
  void runNotesAddDetailsViolationsAndTheScenarios() {
    ChaosReport r =
        report(0, List.of(), List.of())
            .withRunNotes(
                List.of("deploy", "scale", "stall", "skew"),
                Map.of("deploy_partitions_moved", 12L),
                List.of("deploy-w1 exited 1 after SIGTERM"));
    assertThat(r.line())
        .startsWith("chaos: scenarios=deploy,scale,stall,skew jobs=10 ")
        .contains(" unpaid_ambiguous=1 stuck=0 ");
    assertThat(r.details())
        .containsEntry("deploy_partitions_moved", 12L)
        .containsKey("aborted_events");
    assertThat(r.ok()).isFalse();
    assertThat(r.lines()).noneMatch(l -> l.startsWith("chaos: kills="));
  }

  @Test
  void killsAreCountedPerStageTheyCaughtJobsIn() {
    ChaosReport r =
        report(
            0,
            List.of(),
            List.of(
                new Killer.KillRecord(
                    Duration.ofSeconds(5),
                    "w1",
                    Optional.of(Map.of(Stage.SUBMITTING, 2, Stage.POLLING, 3))),
                new Killer.KillRecord(
                    Duration.ofSeconds(9),
                    "w2",
                    Optional.of(Map.of(Stage.POLLING, 1, Stage.COPY, 0))),
                new Killer.KillRecord(Duration.ofSeconds(12), "w3", Optional.empty())));
    Map<Stage, int[]> byStage = r.killsByStage();
    assertThat(byStage.get(Stage.SUBMITTING)).containsExactly(1, 2);
    assertThat(byStage.get(Stage.POLLING)).containsExactly(2, 4);
    assertThat(byStage.get(Stage.COPY)).containsExactly(0, 0);
    assertThat(r.lines().get(0)).contains("kills=3").contains("stages unknown for 1");
  }
}
