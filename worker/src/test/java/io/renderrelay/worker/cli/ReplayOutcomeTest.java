package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.ACT_ONE;
import static io.renderrelay.worker.cli.TestDlt.DLT;
import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.ledger.LedgerCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@code dlt replay} reports what the worker did with each replayed record, from the ledger. */
class ReplayOutcomeTest {

  static final TopicPartition LEDGER = new TopicPartition("render.jobs", 0);

  final FakeCli cli = new FakeCli();
  final LedgerCodec codec = LedgerCodec.current();
  final MockConsumer<byte[], byte[]> ledger = new MockConsumer<>("earliest");

  @Test
  void anUnpaidJobRunsAgainAndAPaidOneIsADuplicate() {
    cli.consumer =
        TestDlt.consumer(
            DLT,
            2,
            List.of(
                record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 10),
                record(0, 1, 1001, "job-2", "INVALID_COMMAND", ACT_ONE, 11),
                record(1, 0, 1002, "job-3", "UNDECODABLE", ACT_ONE, 12)));
    List<ConsumerRecord<byte[], byte[]>> entries =
        List.of(
            entry(0, state("job-2", JobPhase.FAILED, 0)),
            entry(1, state("job-3", JobPhase.COMPLETED, 1)),
            entry(2, state("job-2", JobPhase.POLLING, 1)));
    afterTheReplay(entries, 2, 3); // the worker consumed the commands; job-2 ran again

    assertThat(cli.run("dlt", "replay", "--yes", "--job-type", "act-one")).as(cli.err()).isZero();

    assertThat(cli.out())
        .contains("outcome jobId=job-2 runs again: now POLLING")
        .contains("outcome jobId=job-3 duplicate of a paid job: COMPLETED, 1 paid attempt(s)");
    assertThat(cli.out().lines().toList())
        .last()
        .isEqualTo("outcomes ran_again=1 duplicate=1 no_job=0 pending=0");
  }

  @Test
  void progressOfARunningJobIsNoRerunAndADoubleReplayRunsOnce() {
    cli.consumer =
        TestDlt.consumer(
            DLT,
            3,
            List.of(
                record(0, 0, 1000, "job-2", "INVALID_COMMAND", ACT_ONE, 11),
                record(0, 1, 1001, "job-2", "INVALID_COMMAND", ACT_ONE, 11),
                record(0, 2, 1002, "job-3", "AMBIGUOUS_SUBMIT", ACT_ONE, 12)));
    List<ConsumerRecord<byte[], byte[]>> entries =
        List.of(
            entry(0, state("job-2", JobPhase.FAILED, 0)),
            entry(1, state("job-3", JobPhase.POLLING, 1)),
            // after the replay started: job-2's rerun, and a poll of job-3 (paid, running)
            entry(2, state("job-2", JobPhase.POLLING, 1)),
            entry(3, JobState.newBuilder(state("job-3", JobPhase.POLLING, 1)).setPolls(2).build()));
    afterTheReplay(entries, 2, 4);

    assertThat(cli.run("dlt", "replay", "--yes", "--job-type", "act-one")).as(cli.err()).isZero();

    assertThat(cli.out())
        .contains("outcome jobId=job-3 duplicate of a paid job: POLLING, 1 paid attempt(s)");
    assertThat(cli.out().lines().filter(l -> l.startsWith("outcome jobId=job-2 runs again")))
        .as("two replays of one unpaid job: it ran once, the second was a duplicate")
        .hasSize(1);
    assertThat(cli.out().lines().toList())
        .last()
        .isEqualTo("outcomes ran_again=1 duplicate=2 no_job=0 pending=0");
  }

  @Test
  void recordsTheWorkerDidNotConsumeInTimeArePending() {
    cli.consumer =
        TestDlt.consumer(
            DLT, 1, List.of(record(0, 0, 1000, "job-9", "INVALID_COMMAND", RESTYLE, 10)));
    ledger.updatePartitions(
        "render.jobs",
        List.of(new PartitionInfo("render.jobs", 0, Node.noNode(), new Node[0], new Node[0])));
    ledger.updateBeginningOffsets(Map.of(LEDGER, 0L));
    ledger.updateEndOffsets(Map.of(LEDGER, 0L));
    cli.consumers.put("dlt-replay-outcome", ledger);

    assertThat(cli.run("dlt", "replay", "--yes", "--await", "2s")).as(cli.err()).isZero();

    assertThat(cli.out()).contains("outcome jobId=job-9 not consumed by group render-relay");
    assertThat(cli.out().lines().toList())
        .last()
        .isEqualTo("outcomes ran_again=0 duplicate=0 no_job=0 pending=1");
  }

  /**
   * The ledger holds {@code entries} below {@code endBefore} when the replay starts, all of them
   * once the worker group has consumed every replayed act-one command.
   */
  void afterTheReplay(List<ConsumerRecord<byte[], byte[]>> entries, long endBefore, long endAfter) {
    ledger.updatePartitions(
        "render.jobs",
        List.of(new PartitionInfo("render.jobs", 0, Node.noNode(), new Node[0], new Node[0])));
    ledger.updateBeginningOffsets(Map.of(LEDGER, 0L));
    ledger.updateEndOffsets(Map.of(LEDGER, endBefore));
    cli.consumers.put("dlt-replay-outcome", ledger);
    cli.onOffsetsAsked =
        () -> {
          for (int p = 0; p < 12; p++) {
            cli.groupOffsets.put(new TopicPartition(ACT_ONE, p), 100L);
          }
          ledger.updateEndOffsets(Map.of(LEDGER, endAfter));
          ledger.schedulePollTask(() -> entries.forEach(ledger::addRecord));
        };
  }

  ConsumerRecord<byte[], byte[]> entry(long offset, JobState s) {
    return new ConsumerRecord<>(
        "render.jobs", 0, offset, s.getJobId().getBytes(StandardCharsets.UTF_8), codec.encode(s));
  }

  static JobState state(String jobId, JobPhase phase, int attempts) {
    return JobState.newBuilder(
            JobsCommandTest.state(
                jobId, phase, FakeCli.NOW, attempts, attempts > 0 ? "task-" + jobId : null))
        .setOutcome(phase == JobPhase.FAILED ? "INVALID_COMMAND" : null)
        .build();
  }
}
