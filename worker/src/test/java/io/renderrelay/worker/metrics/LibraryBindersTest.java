package io.renderrelay.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

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
}
