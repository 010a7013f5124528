package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupSettingsTest {

  private final Map<String, String> overrides =
      Map.of(
          "session.timeout.ms", "6000",
          "heartbeat.interval.ms", "1000",
          "security.protocol", "SSL");

  @Test
  void sessionTimeoutAndHeartbeatBecomeGroupConfigsNotClientOnes() {
    assertThat(GroupSettings.consumerOverrides(overrides)).containsOnlyKeys("security.protocol");
    assertThat(GroupSettings.groupConfigs(overrides))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "consumer.session.timeout.ms", "6000", "consumer.heartbeat.interval.ms", "1000"));
    assertThat(GroupSettings.groupConfigs(Map.of())).isEmpty();
  }
}
