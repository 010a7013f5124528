package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the provider and upstream can do wrong, one fault at a time, against one in-process worker:
 * every job still ends with exactly one terminal event and is paid for exactly as often as the
 * design allows.
 */
@Timeout(120)
class FailureModesIT {

  static final Duration RENDER = Duration.ofSeconds(1);
  static final Duration WAIT = Duration.ofSeconds(45);

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(RENDER);

  static WorkerSettings settings;
  static RenderRelayWorker worker;
  static WorkerMetrics metrics;

  @BeforeAll
  static void start() throws Exception {
    settings = e2e.settings("fm-1");
    worker = e2e.worker(settings);
    metrics = new WorkerMetrics(settings.managementPort());
  }

  @AfterEach
  void clearFaults() {
    e2e.sim().faults().clear();
    e2e.sim().renderTimeOverride(RENDER);
    assertThat(e2e.events().duplicated()).as("jobs with more than one terminal event").isEmpty();
  }

  @Test
  void refundedFailureIsResubmittedOnceThenTheJobFails() throws Exception {
    e2e.sim().faults().failTasks(1.0);
    String job = "provider-fail-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);

    RenderFailed failed = Expect.failed(e2e.events(), job, FailureReason.PROVIDER_FAILED);
    assertThat(failed.getAttempts()).isEqualTo(2);
    assertThat(failed.getRetryable()).isTrue();
    Expect.paid(e2e.sim(), 2, List.of(job));
    assertThat(failed.getProviderTaskId()).isEqualTo(e2e.sim().taskIdsOfJob(job).get(1));
  }

  @Test
  void moderationFailsTheJobWithoutAResubmit() throws Exception {
    e2e.sim().faults().moderationFailures(new Faults.Moderation(1.0, null));
    String job = "moderation-" + UUID.randomUUID();
    e2e.commands().send(Commands.actOne(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);

    RenderFailed failed = Expect.failed(e2e.events(), job, FailureReason.MODERATION);
    assertThat(failed.getMessage()).contains("SAFETY.");
    assertThat(failed.getRetryable()).isFalse();
    Expect.paid(e2e.sim(), 1, List.of(job));
  }

  @Test
  void refundedFailureThenASuccessfulResubmitCompletesWithTwoPaidTasks() throws Exception {
    e2e.sim().faults().failTasks(1.0);
    String job = "resubmit-ok-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    awaitPaid(job, 1);
    e2e.sim()
        .faults()
        .failTasks(0); // the first task was planned to fail at its submit; the next one is not
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);

    RenderCompleted done = Expect.completed(e2e.events(), job);
    List<String> tasks = e2e.sim().taskIdsOfJob(job);
    assertThat(tasks).hasSize(2);
    assertThat(e2e.sim().task(tasks.get(0)).orElseThrow().phase()).isEqualTo("FAILED");
    assertThat(done.getProviderTaskId()).isEqualTo(tasks.get(1));
    assertThat(done.getAttempts()).isEqualTo(2);
    Expect.paid(e2e.sim(), 2, List.of(job));
  }

  @Test
  void aRenderThatOutlivesTheCommandsDeadlineFails() throws Exception {
    e2e.sim().renderTimeOverride(Duration.ofSeconds(60));
    String job = "deadline-" + UUID.randomUUID();
    Instant now = Instant.now();
    // the shortest deadline a command may carry is requestedAt + 1 min: requested 57 s ago
    RestyleCommand cmd = Commands.restyle(job, now.minusSeconds(57));
    cmd.setDeadline(now.plusSeconds(3));
    e2e.commands().send(cmd);
    awaitPaid(job, 1);
    e2e.sim().renderTimeOverride(RENDER);
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);

    RenderFailed failed = Expect.failed(e2e.events(), job, FailureReason.DEADLINE_EXCEEDED);
    assertThat(failed.getFailedAt()).isAfter(now.plusSeconds(3));
    assertThat(e2e.sim().task(e2e.sim().taskIdsOfJob(job).get(0)).orElseThrow().phase())
        .isNotEqualTo("SUCCEEDED");
    Expect.paid(e2e.sim(), 1, List.of(job));
  }

  @Test
  void theSameJobIdSentFourTimesMakesOneTaskAndOneEvent() throws Exception {
    String metric = "render_relay_duplicate_commands_total";
    double before = metrics.sum(metric);
    String job = "dup-cmd-" + UUID.randomUUID();
    for (int i = 0; i < 3; i++) {
      e2e.commands().send(Commands.restyle(job, Instant.now()));
    }
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);
    e2e.commands().send(Commands.restyle(job, Instant.now())); // after completion
    assertThat(metrics.awaitAtLeast(metric, "", before + 3, WAIT)).isEqualTo(before + 3);

    Expect.completed(e2e.events(), job);
    assertThat(e2e.sim().taskIdsOfJob(job)).hasSize(1);
    Expect.paid(e2e.sim(), 1, List.of(job));
  }

  @Test
  void lostCallbacksAreMadeUpForByPolling() throws Exception {
    e2e.sim().faults().loseCallbacks(1.0);
    long callbacksBefore = e2e.sim().callbacksSent();
    String a = "lost-cb-" + UUID.randomUUID();
    String b = "lost-cb-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(a, Instant.now()));
    e2e.commands().send(Commands.actOne(b, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(a, b), WAIT)).isEqualTo(2);

    Expect.completed(e2e.events(), a);
    Expect.completed(e2e.events(), b);
    assertThat(e2e.sim().callbacksSent()).isEqualTo(callbacksBefore);
    Expect.paid(e2e.sim(), 1, List.of(a, b));
  }

  @Test
  void duplicatedCallbacksStillGiveOneEvent() throws Exception {
    e2e.sim().faults().duplicateCallbacks(1.0);
    String received = "render_relay_callbacks_total";
    String accepted = "result=\"accepted\"";
    double receivedBefore = metrics.sum(received, accepted);
    long sentBefore = e2e.sim().callbacksSent();
    String a = "dup-cb-" + UUID.randomUUID();
    String b = "dup-cb-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(a, Instant.now()));
    e2e.commands().send(Commands.actOne(b, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(a, b), WAIT)).isEqualTo(2);
    assertThat(metrics.awaitAtLeast(received, accepted, receivedBefore + 4, WAIT))
        .as("callbacks the worker received")
        .isGreaterThanOrEqualTo(receivedBefore + 4);
    Thread.sleep(1500); // the duplicates' poll-now tickets reach the worker and are dropped

    Expect.completed(e2e.events(), a);
    Expect.completed(e2e.events(), b);
    assertThat(e2e.sim().callbacksSent() - sentBefore).isGreaterThanOrEqualTo(4);
    Expect.paid(e2e.sim(), 1, List.of(a, b));
  }

  @Test
  void invalidCommandsGoToTheDltWithAFailedEventAndAreNeverPaid() throws Exception {
    Instant now = Instant.now();
    String longPrompt = "prompt-" + UUID.randomUUID();
    RestyleCommand tooLong = Commands.restyle(longPrompt, now);
    tooLong.setPrompt("x".repeat(1001)); // jobs.max-prompt-length defaults to 1000
    String outOfRange = "range-" + UUID.randomUUID();
    RestyleCommand badOption = Commands.restyle(outOfRange, now);
    badOption.setOptions(RestyleOptions.newBuilder().setStructureTransformation(1.5).build());
    String ftp = "scheme-" + UUID.randomUUID();
    RestyleCommand badScheme = Commands.restyle(ftp, now);
    badScheme.setSourceVideoUrl("ftp://media.example.com/in.mp4"); // dev mode allows http, not ftp
    String key = "key-" + UUID.randomUUID();
    String otherJobId = "body-" + UUID.randomUUID();
    String garbage = "garbage-" + UUID.randomUUID();

    e2e.commands().send(tooLong);
    e2e.commands().send(badOption);
    e2e.commands().send(badScheme);
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.RESTYLE_TOPIC),
            key,
            e2e.commands()
                .serialize(e2e.topic(Commands.RESTYLE_TOPIC), Commands.restyle(otherJobId, now)));
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.RESTYLE_TOPIC),
            garbage,
            "not avro".getBytes(StandardCharsets.UTF_8));

    Map<String, String> expected =
        Map.of(
            longPrompt, "INVALID_COMMAND",
            outOfRange, "INVALID_COMMAND",
            ftp, "INVALID_COMMAND",
            key, "KEY_MISMATCH",
            garbage, "UNDECODABLE");
    assertThat(e2e.events().awaitTerminal(expected.keySet(), WAIT)).isEqualTo(expected.size());
    Map<String, List<ConsumerRecord<byte[], byte[]>>> dlt =
        new DltProbe(e2e.stack().kafka().bootstrapServers(), e2e.topic(DltProbe.DLT_TOPIC))
            .awaitKeys(expected.keySet(), WAIT);

    for (Map.Entry<String, String> e : expected.entrySet()) {
      RenderFailed failed = Expect.failed(e2e.events(), e.getKey(), FailureReason.INVALID_COMMAND);
      assertThat(failed.getRetryable()).isFalse();
      assertThat(dlt.get(e.getKey())).as("DLT records of %s", e.getKey()).hasSize(1);
      ConsumerRecord<byte[], byte[]> r = dlt.get(e.getKey()).get(0);
      assertThat(DltProbe.header(r, DltHeaders.REASON))
          .as("DLT reason of %s", e.getKey())
          .isEqualTo(e.getValue());
      assertThat(DltProbe.header(r, DltHeaders.SOURCE_TOPIC))
          .isEqualTo(e2e.topic(Commands.RESTYLE_TOPIC));
      assertThat(DltProbe.header(r, DltHeaders.DETAIL)).isNotBlank();
    }
    assertThat(DltProbe.header(dlt.get(longPrompt).get(0), DltHeaders.DETAIL)).contains("prompt");
    assertThat(DltProbe.header(dlt.get(outOfRange).get(0), DltHeaders.DETAIL))
        .contains("structure");
    assertThat(DltProbe.header(dlt.get(ftp).get(0), DltHeaders.DETAIL)).contains("ftp");
    assertThat(dlt.get(garbage).get(0).value())
        .isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
    assertThat(e2e.events().eventsOf(otherJobId)).isEmpty();
    Expect.paid(e2e.sim(), 0, List.of(longPrompt, outOfRange, ftp, key, otherJobId, garbage));
  }

  @Test
  void anExpiredOutputUrlFailsTheJobAsOutputExpired() throws Exception {
    e2e.sim().faults().expireOutputs(new Faults.ExpireOutputs(404, 0));
    String job = "expired-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), WAIT)).isEqualTo(1);

    RenderFailed failed = Expect.failed(e2e.events(), job, FailureReason.OUTPUT_EXPIRED);
    assertThat(failed.getProviderTaskId()).isEqualTo(e2e.sim().taskIdsOfJob(job).get(0));
    Expect.paid(e2e.sim(), 1, List.of(job));
  }

  private static void awaitPaid(String job, int n) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (e2e.sim().paidSubmissions().getOrDefault(job, 0) < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(e2e.sim().paidSubmissions().getOrDefault(job, 0))
        .as("paid submissions of %s", job)
        .isEqualTo(n);
  }
}
