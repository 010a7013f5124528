package io.renderrelay.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
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

  /**
   * The pipeline loop re-creates its consumer (same client.id) on every restart: the meters must
   * follow the new client, and a restart must leave no binder (and its scheduler thread) behind.
   */
  @Test
  void aRestartedClientsMetersFollowTheNewClientAndLeaveNoThreadBehind() {
    Metrics metrics = Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT);
    long before = kafkaMetricsThreads();
    try (LibraryBinders binders = new LibraryBinders(metrics.registry())) {
      for (int lag = 1; lag <= 5; lag++) {
        var consumer = binders.consumer(consumerWithLag(lag));
        assertThat(metrics.scrape())
            .containsPattern(
                "(?m)^kafka_consumer_fetch_manager_records_lag_max\\{client_id=\"rr-pipeline-w1\""
                    + "[^}]*} "
                    + lag
                    + ".0$");
        consumer.close();
      }
      assertThat(kafkaMetricsThreads() - before).isLessThanOrEqualTo(1);
    }
  }

  private static long kafkaMetricsThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("micrometer-kafka-metrics"))
        .count();
  }

  private static MockConsumer<byte[], byte[]> consumerWithLag(double lag) {
    MetricName name =
        new MetricName(
            "records-lag-max",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", "rr-pipeline-w1"));
    Metric metric =
        new Metric() {
          @Override
          public MetricName metricName() {
            return name;
          }

          @Override
          public Object metricValue() {
            return lag;
          }
        };
    return new MockConsumer<>("earliest") {
      @Override
      public synchronized Map<MetricName, ? extends Metric> metrics() {
        return Map.of(name, metric);
      }
    };
  }
}
