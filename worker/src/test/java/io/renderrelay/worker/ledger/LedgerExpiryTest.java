package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.LedgerWrite;
import io.renderrelay.worker.engine.StepResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dedupe horizon: ended jobs are forgotten, running ones never; bounded work per scan. */
class LedgerExpiryTest {

  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final Duration HORIZON = Duration.ofDays(7);

  final AtomicReference<Instant> now = new AtomicReference<>(T0);
  final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now.get();
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  final InMemoryLedgerStore store = new InMemoryLedgerStore();

  LedgerExpiry expiry(int batch) {
    return new LedgerExpiry(
        store,
        "render.jobs",
        new LedgerExpiry.Settings(HORIZON, Duration.ofMinutes(1), batch),
        clock);
  }

  @Test
  void endedJobsPastTheHorizonGetATombstoneAndNothingElseDoes() {
    put(0, "old-completed", JobPhase.COMPLETED, T0.minus(Duration.ofDays(8)));
    put(0, "old-failed", JobPhase.FAILED, T0.minus(Duration.ofDays(30)));
    put(0, "old-ambiguous", JobPhase.AMBIGUOUS, T0.minus(Duration.ofDays(8)));
    put(0, "recent-completed", JobPhase.COMPLETED, T0.minus(Duration.ofDays(6)));
    put(0, "old-but-polling", JobPhase.POLLING, T0.minus(Duration.ofDays(9)));
    put(1, "old-other-partition", JobPhase.COMPLETED, T0.minus(Duration.ofDays(8)));
    put(2, "not-owned", JobPhase.COMPLETED, T0.minus(Duration.ofDays(8)));
    LedgerExpiry expiry = expiry(100);
    now.set(T0.plus(Duration.ofMinutes(1)));

    StepResult r = expiry.due(Set.of(0, 1), k -> false);

    assertThat(r.ledger())
        .extracting(LedgerWrite::jobId)
        .containsExactlyInAnyOrder(
            "old-completed", "old-failed", "old-ambiguous", "old-other-partition");
    assertThat(r.ledger()).allSatisfy(w -> assertThat(w.state()).isEmpty());
    assertThat(r.records())
        .allSatisfy(
            rec -> {
              assertThat(rec.topic()).isEqualTo("render.jobs");
              assertThat(rec.value()).isNull();
            });
    ProducerRecord<byte[], byte[]> other =
        r.records().stream()
            .filter(
                rec -> new String(rec.key(), StandardCharsets.UTF_8).equals("old-other-partition"))
            .findFirst()
            .orElseThrow();
    assertThat(other.partition()).isEqualTo(1);
  }

  @Test
  void aBusyKeyIsLeftForTheNextScan() {
    put(0, "busy", JobPhase.COMPLETED, T0.minus(Duration.ofDays(8)));
    LedgerExpiry expiry = expiry(100);
    now.set(T0.plus(Duration.ofMinutes(1)));

    assertThat(expiry.due(Set.of(0), "busy"::equals).records()).isEmpty();
    now.set(T0.plus(Duration.ofMinutes(2)));
    assertThat(expiry.due(Set.of(0), k -> false).records()).hasSize(1);
  }

  @Test
  void scansOncePerIntervalWithBoundedWorkAndCoversThePartitionOverSeveralScans() {
    for (int i = 0; i < 250; i++) {
      put(0, String.format("job-%03d", i), JobPhase.COMPLETED, T0.minus(Duration.ofDays(8)));
    }
    LedgerExpiry expiry = expiry(100);

    assertThat(expiry.due(Set.of(0), k -> false).records()).as("before the interval").isEmpty();
    List<String> expired = new ArrayList<>();
    for (int scan = 1; scan <= 3; scan++) {
      now.set(T0.plus(Duration.ofMinutes(scan)));
      StepResult r = expiry.due(Set.of(0), k -> false);
      assertThat(r.records()).as("scan %d", scan).hasSizeLessThanOrEqualTo(100);
      r.ledger().forEach(w -> store.remove(w.partition(), w.jobId()));
      r.ledger().forEach(w -> expired.add(w.jobId()));
      assertThat(expiry.due(Set.of(0), k -> false).records()).as("same instant again").isEmpty();
    }
    assertThat(expired).hasSize(250).doesNotHaveDuplicates();
    assertThat(store.size()).isZero();
  }

  @Test
  void rocksDbScanWalksOnePartitionInJobIdOrderFromACursor(@TempDir Path dir) {
    try (RocksDbLedgerStore rocks =
        new RocksDbLedgerStore(dir.resolve("db"), LedgerCodec.current())) {
      for (String id : List.of("b", "a", "c", "d")) {
        rocks.put(3, state(id, JobPhase.COMPLETED, T0));
      }
      rocks.put(2, state("a-other", JobPhase.COMPLETED, T0));
      rocks.put(4, state("z-other", JobPhase.COMPLETED, T0));

      assertThat(rocks.scan(3, null, 10))
          .extracting(JobState::getJobId)
          .containsExactly("a", "b", "c", "d");
      assertThat(rocks.scan(3, "b", 10)).extracting(JobState::getJobId).containsExactly("c", "d");
      assertThat(rocks.scan(3, "a", 2)).extracting(JobState::getJobId).containsExactly("b", "c");
      assertThat(rocks.scan(5, null, 10)).isEmpty();
    }
  }

  void put(int partition, String jobId, JobPhase phase, Instant updatedAt) {
    store.put(partition, state(jobId, phase, updatedAt));
  }

  static JobState state(String jobId, JobPhase phase, Instant updatedAt) {
    return JobState.newBuilder(LedgerCodecTest.restyleJob(jobId, null))
        .setPhase(phase)
        .setCreatedAt(updatedAt.minusSeconds(600))
        .setUpdatedAt(updatedAt)
        .build();
  }
}
