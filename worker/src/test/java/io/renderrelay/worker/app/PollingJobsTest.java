package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.ledger.InMemoryLedgerStore;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerStore.Encoded;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Finding 5: the provider task cap counts committed POLLING jobs of the partitions owned now. */
class PollingJobsTest {

  private final LedgerCodec codec = LedgerCodec.current();
  private final PollingJobs jobs = new PollingJobs(new InMemoryLedgerStore(), codec);

  PollingJobsTest() {
    jobs.partitionsOwned(Set.of(0, 1));
  }

  private static JobState job(String id, JobPhase phase) {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return JobState.newBuilder()
        .setJobId(id)
        .setJobType(JobType.RESTYLE)
        .setPhase(phase)
        .setCreatedAt(t)
        .setUpdatedAt(t)
        .setDeadline(t.plusSeconds(3600))
        .build();
  }

  @Test
  void countsPollingJobsAndDropsThoseOfAPartitionThatMoved() {
    jobs.put(0, job("a", JobPhase.POLLING));
    jobs.put(0, job("b", JobPhase.POLLING));
    jobs.put(1, job("c", JobPhase.POLLING));
    jobs.put(1, job("c", JobPhase.POLLING));
    jobs.put(1, job("d", JobPhase.SUBMITTING));
    assertThat(jobs.count()).isEqualTo(3);
    jobs.clearPartition(0);
    assertThat(jobs.count()).isEqualTo(1);
    assertThat(jobs.get(0, "a")).isEmpty();
  }

  @Test
  void aJobLeavingPollingOrRemovedIsNoLongerCounted() {
    jobs.put(0, job("a", JobPhase.POLLING));
    jobs.put(0, job("b", JobPhase.POLLING));
    jobs.put(0, job("a", JobPhase.COMPLETED));
    jobs.remove(0, "b");
    assertThat(jobs.count()).isZero();
    assertThat(jobs.get(0, "a")).map(JobState::getPhase).contains(JobPhase.COMPLETED);
  }

  @Test
  void aRevokedPartitionNoLongerCountsThoughItsEntriesStayForACheckpoint() {
    jobs.put(0, job("a", JobPhase.POLLING));
    jobs.put(1, job("b", JobPhase.POLLING));
    jobs.partitionsOwned(Set.of(1));
    assertThat(jobs.count()).isEqualTo(1);
    assertThat(jobs.get(0, "a")).isPresent();
  }

  @Test
  void restoredEntriesCountAsCommittedOnesAndTombstonesUncount() {
    jobs.putEncoded(
        0,
        List.of(
            new Encoded("a", codec.encode(job("a", JobPhase.POLLING))),
            new Encoded("b", codec.encode(job("b", JobPhase.POLLING))),
            new Encoded("c", codec.encode(job("c", JobPhase.COMPLETED)))));
    assertThat(jobs.count()).isEqualTo(2);
    jobs.putEncoded(0, List.of(new Encoded("a", null)));
    assertThat(jobs.count()).isEqualTo(1);
  }
}
