package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosPlanTest {

  private static final Path DIR = Path.of("target", "unused");

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    ChaosPlan a = ChaosPlan.of(ChaosSettings.script(5, 300, 5, DIR));
    assertThat(ChaosPlan.of(ChaosSettings.script(5, 300, 5, DIR))).isEqualTo(a);
    assertThat(ChaosPlan.of(ChaosSettings.script(6, 300, 5, DIR))).isNotEqualTo(a);
  }

  @Test
  void atLeastTwentyKillsSpreadOverTheWholeWindowOnEveryWorker() {
    ChaosPlan plan = ChaosPlan.of(ChaosSettings.script(1, 300, 5, DIR));
    List<ChaosPlan.Kill> kills =
        plan.actions().stream()
            .filter(ChaosPlan.Kill.class::isInstance)
            .map(ChaosPlan.Kill.class::cast)
            .toList();
    assertThat(kills).hasSizeGreaterThanOrEqualTo(20);
    Duration window = Duration.ofMinutes(5);
    // one kill in each of 20 equal slots: none of the window's stretches is left quiet
    for (int slot = 0; slot < 5; slot++) {
      Duration from = window.multipliedBy(slot).dividedBy(5);
      Duration to = window.multipliedBy(slot + 1).dividedBy(5);
      assertThat(kills).anyMatch(k -> k.at().compareTo(from) >= 0 && k.at().compareTo(to) < 0);
    }
    assertThat(kills.stream().map(ChaosPlan.Kill::worker).distinct()).hasSize(3);
    assertThat(kills)
        .allMatch(k -> k.downtime().toMillis() >= 300 && k.downtime().toMillis() < 2500);
  }

  @Test
  void oneBrokerRestartOneS3PauseAndEveryKindOfProviderBurst() {
    ChaosPlan plan = ChaosPlan.of(ChaosSettings.script(3, 100, 2, DIR));
    assertThat(plan.actions()).filteredOn(ChaosPlan.BrokerRestart.class::isInstance).hasSize(1);
    assertThat(plan.actions())
        .filteredOn(ChaosPlan.S3Pause.class::isInstance)
        .singleElement()
        .extracting(a -> ((ChaosPlan.S3Pause) a).duration())
        .isEqualTo(Duration.ofSeconds(30));
    Set<ChaosPlan.BurstKind> kinds = new HashSet<>();
    plan.actions().stream()
        .filter(ChaosPlan.Burst.class::isInstance)
        .forEach(a -> kinds.add(((ChaosPlan.Burst) a).kind()));
    assertThat(kinds).containsExactlyInAnyOrder(ChaosPlan.BurstKind.values());
    assertThat(plan.actions()).isSortedAccordingTo((x, y) -> x.at().compareTo(y.at()));
    assertThat(plan.actions()).allMatch(a -> a.at().compareTo(Duration.ofMinutes(2)) < 0);
  }

  @Test
  void jobsHaveUniqueIdsBothKindsAndArePublishedInTheFirst85Percent() {
    ChaosPlan plan = ChaosPlan.of(ChaosSettings.script(1, 1000, 10, DIR));
    assertThat(plan.jobs()).hasSize(1000);
    assertThat(plan.jobs().stream().map(ChaosPlan.PlannedJob::jobId).distinct()).hasSize(1000);
    assertThat(plan.jobs()).anyMatch(ChaosPlan.PlannedJob::actOne).anyMatch(j -> !j.actOne());
    assertThat(plan.jobs()).allMatch(j -> j.at().compareTo(Duration.ofSeconds(510)) <= 0);
    assertThat(plan.jobs()).isSortedAccordingTo((x, y) -> x.at().compareTo(y.at()));
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> ChaosSettings.script(1, 10, 1, DIR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("S3 pause");
    assertThatThrownBy(() -> ChaosSettings.script(1, 0, 5, DIR))
        .hasMessageContaining("jobs must be >= 1");
  }
}
