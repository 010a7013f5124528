package io.renderrelay.worker.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendTopicCheckTest {

  @Test
  void theSettingsTheWorkerCreatesPass() {
    assertThat(
            SpendTopicCheck.problems(
                "render.spend",
                Map.of(
                    "cleanup.policy", "delete", "retention.ms", Long.toString(70L * 86_400_000))))
        .isEmpty();
    assertThat(SpendTopicCheck.problems("render.spend", Map.of("retention.ms", "-1"))).isEmpty();
  }

  @Test
  void aCompactedTopicIsRefusedWithTheFix() {
    assertThat(SpendTopicCheck.problems("render.spend", Map.of("cleanup.policy", "compact,delete")))
        .singleElement()
        .asString()
        .contains("cleanup.policy=compact,delete")
        .contains("--add-config cleanup.policy=delete");
  }

  @Test
  void aRetentionShorterThanTheLookBackIsRefused() {
    assertThat(
            SpendTopicCheck.problems(
                "render.spend", Map.of("retention.ms", Long.toString(7L * 86_400_000))))
        .singleElement()
        .asString()
        .contains("7 days")
        .contains("at least 5356800000");
  }
}
