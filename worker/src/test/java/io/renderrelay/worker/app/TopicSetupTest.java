package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.kafka.TopicBootstrap.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSetupTest {

  @Test
  void theLedgerTopicIsCompactedWithSettingsThatLetTombstonesAndOldEntriesGo() {
    List<TopicSpec> specs =
        TopicSetup.specs(
            new Topics("c.restyle", "c.act-one", "events", "dlt", "jobs"),
            new PollSchedule(
                List.of(
                    new PollTier("p.now", Duration.ZERO, 0),
                    new PollTier("p.10s", Duration.ofSeconds(10), 3),
                    new PollTier("p.30s", Duration.ofSeconds(30), 0))));

    Map<String, String> ledger =
        specs.stream().filter(s -> s.name().equals("jobs")).findFirst().orElseThrow().configs();

    assertThat(ledger).containsEntry("cleanup.policy", "compact");
    // without a rolled segment nothing is compacted: the default segment.ms is 7 days
    assertThat(Long.parseLong(ledger.get("segment.ms"))).isLessThanOrEqualTo(3_600_000L);
    assertThat(Long.parseLong(ledger.get("max.compaction.lag.ms")))
        .isLessThanOrEqualTo(86_400_000L);
    assertThat(ledger).containsEntry("min.compaction.lag.ms", "0");
    // a tombstone must outlive the longest restore that could miss it
    assertThat(Long.parseLong(ledger.get("delete.retention.ms")))
        .isGreaterThanOrEqualTo(3_600_000L);
  }
}
