package io.renderrelay.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM and process binders publish every non-Kafka family of {@link LibraryMetrics}. */
class LibraryBindersTest {

  @Test
  void jvmAndProcessFamiliesAreScraped() {
    Metrics metrics = Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT);
    try (LibraryBinders ignored = new LibraryBinders(metrics.registry())) {
      String text = metrics.scrape();
      for (LibraryMetrics family : LibraryMetrics.values()) {
        if (!family.kafka()) {
          assertThat(text).as(family.name()).containsPattern("(?m)^" + family.prefix());
        }
      }
      assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"");
    }
  }

  @Test
  void perPartitionKafkaMetersAreDroppedToKeepTagsBounded() {
    Metrics metrics = Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT);
    var registry = metrics.registry();
    registry.gauge("kafka.consumer.fetch.manager.records.lag", Tags.of("partition", "7"), 3.0);
    registry.gauge("kafka.consumer.fetch.manager.records.lag.max", Tags.of("client.id", "c"), 3.0);
    assertThat(metrics.scrape())
        .doesNotContain("partition=\"7\"")
        .contains("kafka_consumer_fetch_manager_records_lag_max{client_id=\"c\"} 3.0");
  }
}
