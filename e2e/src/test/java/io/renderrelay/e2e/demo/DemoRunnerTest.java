package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.client.PublisherConfig;
import io.renderrelay.client.RegistrySettings;
import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.validation.ValidationRules;
import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import io.renderrelay.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class DemoRunnerTest {

  static final long SIZE = 262_144;

  final MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
  final MockProducer<String, SpecificRecord> producer =
      new MockProducer<>(true, null, new StringSerializer(), (topic, v) -> new byte[0]);
  final RenderCommandPublisher publisher =
      new RenderCommandPublisher(
          producer,
          PublisherConfig.builder("unused:9092", RegistrySettings.of("http://unused"))
              .validationRules(ValidationRules.defaults())
              .build(),
          clock,
          () -> UUID.randomUUID().toString(),
          () -> {});
  final JobTracker tracker = new JobTracker();
  final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

  DemoRunner runner(Consumer<Collection<String>> onPoll, Map<String, Long> sizes) {
    return new DemoRunner(
        publisher,
        tracker,
        new DemoRunner.Probes(
            ids -> {
              onPoll.accept(ids);
              clock.advance(Duration.ofSeconds(1));
              return ids.size();
            },
            key -> sizes.containsKey(key) ? OptionalLong.of(sizes.get(key)) : OptionalLong.empty(),
            Optional::empty),
        new ProgressLine(print(errBytes), false, Duration.ofSeconds(3)),
        print(outBytes),
        print(errBytes),
        clock,
        Duration.ZERO);
  }

  @Test
  void publishesValidCommandsAndReportsEveryJobCompleted() throws Exception {
    List<DemoJob> jobs = DemoJobs.plan(3, "t1");
    DemoRunner.Result r =
        runner(ids -> ids.forEach(id -> tracker.onCompleted(completed(id))), allSizes(jobs))
            .run(jobs, Duration.ofSeconds(30));

    assertThat(producer.history())
        .extracting(rec -> rec.topic() + " " + rec.key())
        .containsExactly(
            "render.commands.restyle restyle-t1-1",
            "render.commands.restyle restyle-t1-2",
            "render.commands.act-one act-one-t1-1");
    assertThat(producer.history().get(2).value()).isInstanceOf(ActOneCommand.class);
    assertThat(((RestyleCommand) producer.history().get(0).value()).getSourceVideoUrl())
        .startsWith("https://");
    assertThat(r.ok()).isTrue();
    assertThat(r.submitted()).isEqualTo(3);
    assertThat(r.completed()).isEqualTo(3);
    List<String> table = lines(outBytes);
    assertThat(table).hasSize(5);
    assertThat(table.get(2))
        .startsWith("restyle-t1-1")
        .contains("COMPLETED", "renders/restyle/restyle-t1-1/video.mp4", "262144", "aaaaaaaaaaaa");
    assertThat(lines(errBytes)).last().asString().contains("3/3 done");
  }

  @Test
  void aJobWithoutATerminalEventByTheTimeoutIsLost() throws Exception {
    List<DemoJob> jobs = DemoJobs.plan(2, "t2");
    DemoRunner.Result r =
        runner(ids -> tracker.onFailed(failed("restyle-t2-1")), Map.of())
            .run(jobs, Duration.ofSeconds(10));

    assertThat(r.lost()).containsExactly("act-one-t2-1");
    assertThat(r.failed()).isEqualTo(1);
    assertThat(r.ok()).isFalse();
    assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
    assertThat(lines(outBytes))
        .anyMatch(l -> l.startsWith("restyle-t2-1") && l.contains("FAILED(MODERATION)"))
        .anyMatch(l -> l.startsWith("act-one-t2-1") && l.contains(ResultTable.LOST));
  }

  @Test
  void aRenderMissingInS3OrOfAnotherSizeIsReported() throws Exception {
    List<DemoJob> jobs = DemoJobs.plan(2, "t3");
    Map<String, Long> sizes = Map.of("renders/restyle/restyle-t3-1/video.mp4", SIZE - 1);
    DemoRunner.Result r =
        runner(ids -> ids.forEach(id -> tracker.onCompleted(completed(id))), sizes)
            .run(jobs, Duration.ofSeconds(30));

    assertThat(r.notInS3()).containsExactlyInAnyOrder("restyle-t3-1", "act-one-t3-1");
    assertThat(r.ok()).isFalse();
  }

  @Test
  void anInvalidCommandIsRefusedBeforeAnythingIsSent() {
    DemoJob bad = new DemoJob("has spaces", JobType.RESTYLE, 1);
    assertThatThrownBy(() -> runner(ids -> {}, Map.of()).run(List.of(bad), Duration.ofSeconds(1)))
        .hasMessageContaining("jobId");
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void aStoppedListenerEndsTheWait() {
    DemoRunner r =
        new DemoRunner(
            publisher,
            tracker,
            new DemoRunner.Probes(
                ids -> 0,
                key -> OptionalLong.empty(),
                () -> Optional.of(new IllegalStateException("undecodable"))),
            new ProgressLine(print(errBytes), false, Duration.ofSeconds(3)),
            print(outBytes),
            print(errBytes),
            clock,
            Duration.ZERO);
    assertThatThrownBy(() -> r.run(DemoJobs.plan(1, "t4"), Duration.ofSeconds(30)))
        .hasMessageContaining("event listener stopped")
        .hasMessageContaining("undecodable");
  }

  static Map<String, Long> allSizes(List<DemoJob> jobs) {
    return jobs.stream().collect(java.util.stream.Collectors.toMap(j -> key(j.jobId()), j -> SIZE));
  }

  static String key(String jobId) {
    String type = jobId.startsWith("restyle") ? "restyle" : "act-one";
    return "renders/" + type + "/" + jobId + "/video.mp4";
  }

  static RenderCompleted completed(String jobId) {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    return RenderCompleted.newBuilder()
        .setJobId(jobId)
        .setJobType(jobId.startsWith("restyle") ? JobType.RESTYLE : JobType.ACT_ONE)
        .setProviderTaskId("task-" + jobId)
        .setVideo(
            new RenderOutput(
                "renders",
                key(jobId),
                "s3://renders/" + key(jobId),
                SIZE,
                "a".repeat(64),
                "video/mp4"))
        .setRequestedAt(t)
        .setSubmittedAt(t)
        .setRenderedAt(t)
        .setCompletedAt(t)
        .setAttempts(1)
        .build();
  }

  static RenderFailed failed(String jobId) {
    return RenderFailed.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.RESTYLE)
        .setReason(FailureReason.MODERATION)
        .setMessage("the provider's moderation refused the input")
        .setFailedAt(Instant.parse("2026-01-02T03:04:05Z"))
        .setAttempts(1)
        .build();
  }

  static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  static List<String> lines(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
