package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.worker.ledger.LedgerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/** {@code jobs show} and {@code jobs list} read and decode the ledger topic. */
class JobsCommandTest {

  static final String TOPIC = "render.jobs";
  static final int PARTITIONS = 3;
  static final Instant T = FakeCli.NOW;

  final FakeCli cli = new FakeCli();
  final LedgerCodec codec = LedgerCodec.current();
  final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> topic = new HashMap<>();

  @Test
  void showPrintsTheStateAndTheTimelineOfTheJob() {
    String job = "job-show-1";
    write(job, state(job, JobPhase.QUEUED, T.minusSeconds(300), 0, null));
    write("other", state("other", JobPhase.POLLING, T, 1, "t-9"));
    write(job, state(job, JobPhase.POLLING, T.minusSeconds(290), 1, "task-7"));
    write(job, state(job, JobPhase.COMPLETED, T.minusSeconds(100), 1, "task-7"));
    load();

    assertThat(cli.run("jobs", "show", job)).as(cli.err()).isZero();

    String out = cli.out();
    assertThat(out).contains("job        " + job + " (restyle)");
    assertThat(out).contains("phase      COMPLETED");
    assertThat(out).contains("task id    task-7");
    assertThat(out).contains("provider   SUCCEEDED");
    assertThat(out).contains("s3 keys    renders/restyle/" + job + "/video.mp4");
    assertThat(out.lines().filter(l -> l.contains("offset "))).hasSize(3);
    assertThat(out).contains("QUEUED").contains("POLLING").doesNotContain("t-9");
  }

  @Test
  void showJsonCarriesStateAndTimeline() throws Exception {
    String job = "job-json";
    write(job, state(job, JobPhase.POLLING, T, 1, "task-1"));
    load();

    assertThat(cli.run("jobs", "show", job, "--json")).as(cli.err()).isZero();

    JsonNode n = new ObjectMapper().readTree(cli.out());
    assertThat(n.at("/state/phase").asText()).isEqualTo("POLLING");
    assertThat(n.at("/state/taskId").asText()).isEqualTo("task-1");
    assertThat(n.get("timeline")).hasSize(1);
  }

  @Test
  void anUnknownOrForgottenJobExitsOneWithTheReason() {
    write("gone", state("gone", JobPhase.COMPLETED, T, 1, "t"));
    tombstone("gone");
    load();

    assertThat(cli.run("jobs", "show", "gone")).isEqualTo(1);
    assertThat(cli.err()).contains("was forgotten (tombstone");

    cli.consumer = new org.apache.kafka.clients.consumer.MockConsumer<>("earliest");
    load();
    assertThat(cli.run("jobs", "show", "never")).isEqualTo(1);
    assertThat(cli.err()).contains("is not in the ledger");
  }

  @Test
  void theLedgerCommandsTakeTheSharedReadTimeout() {
    assertThat(cli.run("jobs", "list", "--read-timeout", "soon")).isEqualTo(2);
    assertThat(cli.err()).contains("--read-timeout");
    load();
    assertThat(cli.run("jobs", "show", "never", "--read-timeout", "5s")).isEqualTo(1);
    assertThat(cli.err()).contains("is not in the ledger");
  }

  @Test
  void listFiltersByPhaseTypeAndAgeAndSkipsForgottenJobs() {
    write(
        "a-old-failed",
        state("a-old-failed", JobPhase.FAILED, T.minus(Duration.ofHours(3)), 0, null));
    write("b-polling", state("b-polling", JobPhase.QUEUED, T.minusSeconds(60), 0, null));
    write("b-polling", state("b-polling", JobPhase.POLLING, T.minusSeconds(50), 1, "t-b"));
    write("c-done", state("c-done", JobPhase.COMPLETED, T.minusSeconds(30), 1, "t-c"));
    write("d-gone", state("d-gone", JobPhase.COMPLETED, T.minus(Duration.ofDays(9)), 1, "t-d"));
    tombstone("d-gone");
    load();

    assertThat(cli.run("jobs", "list")).as(cli.err()).isZero();
    assertThat(cli.out().lines()).hasSize(3);
    assertThat(cli.err()).contains("jobs=3 known=3");

    cli.out.getBuffer().setLength(0);
    load();
    assertThat(cli.run("jobs", "list", "--phase", "POLLING,FAILED", "--older-than", "2h")).isZero();
    assertThat(cli.out().lines()).singleElement().asString().startsWith("a-old-failed");

    cli.out.getBuffer().setLength(0);
    load();
    assertThat(cli.run("jobs", "list", "--type", "act-one")).isZero();
    assertThat(cli.out()).isEmpty();
  }

  void write(String jobId, JobState s) {
    int p = partition(jobId);
    List<ConsumerRecord<byte[], byte[]>> records = topic.computeIfAbsent(p, k -> new ArrayList<>());
    records.add(
        new ConsumerRecord<>(
            TOPIC, p, records.size(), key(jobId), s == null ? null : codec.encode(s)));
  }

  void tombstone(String jobId) {
    write(jobId, null);
  }

  /** A fresh view of the topic on the CLI's (mock) consumer. */
  void load() {
    cli.consumer = new org.apache.kafka.clients.consumer.MockConsumer<>("earliest");
    List<PartitionInfo> infos = new ArrayList<>();
    Map<TopicPartition, Long> begin = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    for (int p = 0; p < PARTITIONS; p++) {
      infos.add(new PartitionInfo(TOPIC, p, Node.noNode(), new Node[0], new Node[0]));
      begin.put(new TopicPartition(TOPIC, p), 0L);
      end.put(new TopicPartition(TOPIC, p), (long) topic.getOrDefault(p, List.of()).size());
    }
    cli.consumer.updatePartitions(TOPIC, infos);
    cli.consumer.updateBeginningOffsets(begin);
    cli.consumer.updateEndOffsets(end);
    var consumer = cli.consumer;
    consumer.schedulePollTask(
        () ->
            topic.forEach(
                (p, records) -> {
                  if (consumer.assignment().contains(new TopicPartition(TOPIC, p))) {
                    records.forEach(consumer::addRecord);
                  }
                }));
  }

  static int partition(String jobId) {
    return Utils.toPositive(Utils.murmur2(key(jobId))) % PARTITIONS;
  }

  static byte[] key(String jobId) {
    return jobId.getBytes(StandardCharsets.UTF_8);
  }

  static JobState state(String jobId, JobPhase phase, Instant at, int attempts, String taskId) {
    return JobState.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.RESTYLE)
        .setPhase(phase)
        .setRestyle(
            RestyleCommand.newBuilder()
                .setJobId(jobId)
                .setSourceVideoUrl("https://media.example.com/in.mp4")
                .setPrompt("p")
                .setOptions(RestyleOptions.newBuilder().build())
                .setRequestedAt(at)
                .build())
        .setTaskId(taskId)
        .setSubmitAttempts(attempts)
        .setLastProviderStatus(phase == JobPhase.COMPLETED ? "SUCCEEDED" : null)
        .setOutcome(
            phase == JobPhase.COMPLETED
                ? "COMPLETED"
                : phase == JobPhase.FAILED ? "INVALID_COMMAND" : null)
        .setCreatedAt(at)
        .setUpdatedAt(at)
        .setDeadline(at.plus(Duration.ofHours(2)))
        .build();
  }
}
