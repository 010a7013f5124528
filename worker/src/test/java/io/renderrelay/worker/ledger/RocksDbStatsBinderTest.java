package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.metrics.RocksDbNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger store's RocksDB statistics reach the scrape, every ticker and property, bounded. */
class RocksDbStatsBinderTest {

  @TempDir Path dir;

  @Test
  void tickersAndPropertiesOfTheLedgerStoreAreScraped() {
    Metrics metrics = Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT);
    try (RocksDbLedgerStore store =
        new RocksDbLedgerStore(dir.resolve("ledger"), LedgerCodec.current())) {
      RocksDbStatsBinder.bind(store, metrics);
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < 3; i++) {
        store.put(
            0,
            JobState.newBuilder()
                .setJobId("job-" + i)
                .setJobType(JobType.RESTYLE)
                .setPhase(JobPhase.QUEUED)
                .setCreatedAt(t)
                .setUpdatedAt(t)
                .setDeadline(t)
                .build());
      }
      assertThat(store.get(0, "job-1")).isPresent();
      String text = metrics.scrape();
      for (String ticker : RocksDbNames.tickerNames()) {
        assertThat(text).contains("render_relay_rocksdb_ticker_total{ticker=\"" + ticker + "\"}");
      }
      for (String property : RocksDbNames.propertyNames()) {
        assertThat(text)
            .contains("render_relay_rocksdb_property{property=\"" + property + "\"}")
            .doesNotContain("render_relay_rocksdb_property{property=\"" + property + "\"} NaN");
      }
      assertThat(text)
          .contains("render_relay_rocksdb_ticker_total{ticker=\"number_keys_written\"} 3.0")
          .contains("render_relay_rocksdb_property{property=\"estimate_num_keys\"} 3.0");
    }
    assertThat(metrics.scrape())
        .as("a closed store reads as NaN, never a crash")
        .contains("render_relay_rocksdb_property{property=\"estimate_num_keys\"} NaN");
  }
}
