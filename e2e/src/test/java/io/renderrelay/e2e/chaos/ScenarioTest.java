package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void aListIsParsedInItsOrder() {
    assertThat(Scenario.parse("deploy,scale,stall,skew"))
        .containsExactly(Scenario.DEPLOY, Scenario.SCALE, Scenario.STALL, Scenario.SKEW);
    assertThat(Scenario.parse(" stall ")).containsExactly(Scenario.STALL);
    assertThat(Scenario.parse("kill")).containsExactly(Scenario.KILL);
    assertThat(Scenario.SKEW.label()).isEqualTo("skew");
    assertThat(Scenario.parse("upgrade")).containsExactly(Scenario.UPGRADE);
  }

  @Test
  void unknownRepeatedOrMixedKillListsAreRefused() {
    assertThatThrownBy(() -> Scenario.parse("deploy,upgrad"))
        .hasMessageContaining("unknown scenario 'upgrad'");
    assertThatThrownBy(() -> Scenario.parse("stall,stall")).hasMessageContaining("twice");
    assertThatThrownBy(() -> Scenario.parse("kill,deploy")).hasMessageContaining("runs alone");
    assertThatThrownBy(() -> Scenario.parse("")).hasMessageContaining("unknown scenario ''");
  }

  @Test
  void scenarioSettingsRefuseKillAndAnEmptyList() {
    java.nio.file.Path dir = java.nio.file.Path.of("target");
    assertThatThrownBy(() -> ScenarioSettings.script(1, 10, List.of(Scenario.KILL), dir))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScenarioSettings.script(1, 10, List.of(), dir))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
