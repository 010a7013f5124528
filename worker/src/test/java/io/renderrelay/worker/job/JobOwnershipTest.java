package io.renderrelay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.worker.job.state.Jobs;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * One owner partition per jobId whatever partitioner the producer used: dedupe holds across
 * partitions, so the same jobId sent twice on two partitions is paid once (finding 6).
 */
class JobOwnershipTest {

  private static final int PARTITIONS = 4;

  private final JobHarness h = new JobHarness();

  JobOwnershipTest() {
    h.partitions = PARTITIONS;
    h.rebuild();
  }

  @Test
  void theSameJobIdOnTwoPartitionsIsPaidOnce() throws Exception {
    String id = "order:42";
    int owner = owner(id);
    int first = (owner + 1) % PARTITIONS;
    int second = (owner + 2) % PARTITIONS;
    h.run(h.commandRecord(JobHarness.RESTYLE, first, id, JobHarness.restyle(id)));
    h.run(h.commandRecord(JobHarness.RESTYLE, second, id, JobHarness.restyle(id)));
    for (var forwarded : h.forwardedCommands()) {
      assertThat(forwarded.partition()).isEqualTo(owner);
      h.run(forwarded);
    }
    assertThat(h.provider.submits).containsEntry(id, 1).hasSize(1);
    assertThat(h.store.get(owner, id).orElseThrow().getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.store.get(first, id)).isEmpty();
    assertThat(h.store.get(second, id)).isEmpty();
    assertThat(h.duplicates.get()).isEqualTo(1);
  }

  @Test
  void aForwardedCommandKeepsItsBytesAndIsCompletedAtTheSource() throws Exception {
    String id = "job-7";
    int other = (owner(id) + 3) % PARTITIONS;
    var source = h.commandRecord(JobHarness.ACT_ONE, other, id, JobHarness.actOne(id));
    var results = h.run(source);
    assertThat(results).singleElement().satisfies(r -> assertThat(r.sourceDone()).isTrue());
    assertThat(results.get(0).ledger()).isEmpty();
    assertThat(h.provider.submits).isEmpty();
    var forwarded = h.forwardedCommands();
    assertThat(forwarded)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isEqualTo(source.value()));
  }

  @Test
  void aJobAlreadyKnownOnTheArrivalPartitionStaysThere() throws Exception {
    String id = "legacy-1";
    int other = (owner(id) + 1) % PARTITIONS;
    // a job created before the ownership rule, on the partition another partitioner chose
    h.store.put(
        other,
        io.renderrelay.avro.JobState.newBuilder(
                Jobs.accepted(
                    new io.renderrelay.worker.job.state.JobCommand.Restyle(JobHarness.restyle(id)),
                    h.clock.instant(),
                    h.clock.instant().plusSeconds(7200)))
            .setPhase(JobPhase.POLLING)
            .setTaskId("task-x")
            .build());
    h.run(h.commandRecord(JobHarness.RESTYLE, other, id, JobHarness.restyle(id)));
    assertThat(h.forwardedCommands()).isEmpty();
    assertThat(h.provider.submits).isEmpty();
    assertThat(h.duplicates.get()).isEqualTo(1);
  }

  private static int owner(String jobId) {
    return Utils.toPositive(Utils.murmur2(jobId.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }
}
