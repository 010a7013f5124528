package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.devstack.simulator.Faults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Real crashes: the worker runs in its own JVM and is SIGKILLed while submits are in flight and
 * while jobs are being polled; a replacement with the same instance id (so its transactional id
 * fences the dead one) finishes the work. Nothing is lost, nothing is paid twice, and every job has
 * exactly one terminal event.
 */
@Timeout(150)
class CrashRecoveryIT {

  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(3));

  static S3Objects s3;
  static DltProbe dlt;
  final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void start() {
    s3 = e2e.s3();
    dlt = new DltProbe(e2e.stack().kafka().bootstrapServers(), e2e.topic(DltProbe.DLT_TOPIC));
  }

  @AfterEach
  void stopWorkers() throws Exception {
    e2e.sim().faults().clear();
    for (WorkerProcess w : workers) {
      if (w.alive()) {
        w.terminate(
            Duration.ofSeconds(30)); // a clean leave, so the next test's worker joins at once
      }
    }
    assertThat(e2e.events().duplicated()).as("jobs with more than one terminal event").isEmpty();
  }

  @Test
  void killedWhileSubmitsAreInFlightNoJobIsPaidTwiceAndNoneIsLost() throws Exception {
    WorkerSettings settings = settings("crash-submit");
    WorkerProcess first = worker(settings, "first");
    List<String> polling = jobs("polling", 3);
    polling.forEach(this::send);
    Waits.paid(e2e.sim(), polling, WAIT);
    long polls = e2e.sim().polls();
    Waits.until("polls of the first jobs", WAIT, () -> e2e.sim().polls() >= polls + polling.size());

    e2e.sim()
        .faults()
        .slowAnswers(new Faults.SlowAnswers(1.0, 20_000)); // paid at once, answered late
    List<String> inFlight = jobs("in-flight", 3);
    inFlight.forEach(this::send);
    Waits.paid(e2e.sim(), inFlight, WAIT);
    first.kill();
    e2e.sim().faults().clear();
    assertThat(e2e.events().terminalCount(inFlight)).isZero();

    List<String> whileDown = jobs("while-down", 2);
    whileDown.forEach(this::send);
    worker(settings, "second");
    List<String> all = concat(polling, inFlight, whileDown);
    assertThat(e2e.events().awaitTerminal(all, WAIT))
        .as("jobs with a terminal event")
        .isEqualTo(all.size());

    for (String job : all) {
      assertThat(e2e.sim().paidSubmissions().getOrDefault(job, 0))
          .as("paid submissions of %s", job)
          .isLessThanOrEqualTo(1);
      if (e2e.events().eventsOf(job).get(0) instanceof RenderCompleted) {
        Expect.paid(e2e.sim(), 1, List.of(job));
      }
    }
    for (String job : concat(polling, whileDown)) {
      Expect.outputsInS3(Expect.completed(e2e.events(), job), s3, e2e.sim(), true);
    }
    Map<String, List<ConsumerRecord<byte[], byte[]>>> dead = dlt.awaitKeys(inFlight, WAIT);
    for (String job : inFlight) {
      RenderFailed failed = Expect.failed(e2e.events(), job, FailureReason.AMBIGUOUS_SUBMIT);
      assertThat(failed.getRetryable()).isFalse();
      assertThat(dead.get(job)).as("DLT records of %s", job).hasSize(1);
      assertThat(DltProbe.header(dead.get(job).get(0), DltHeaders.REASON))
          .isEqualTo("AMBIGUOUS_SUBMIT");
    }
    Expect.paid(e2e.sim(), 1, all);
  }

  @Test
  void killedWhilePollingTheReplacementFinishesEveryJob() throws Exception {
    e2e.sim().renderTimeOverride(Duration.ofSeconds(12));
    WorkerSettings settings = settings("crash-poll");
    WorkerProcess first = worker(settings, "first");
    List<String> jobs = jobs("poll", 4);
    jobs.forEach(this::send);
    Waits.paid(e2e.sim(), jobs, WAIT);
    long polls = e2e.sim().polls();
    Waits.until("polls of every job", WAIT, () -> e2e.sim().polls() >= polls + 2L * jobs.size());
    e2e.sim().renderTimeOverride(Duration.ofSeconds(3));
    first.kill();
    assertThat(e2e.events().terminalCount(jobs)).isZero();
    for (String job : jobs) {
      assertThat(e2e.sim().task(e2e.sim().taskIdsOfJob(job).get(0)).orElseThrow().phase())
          .as("task of %s when the worker died", job)
          .isIn("QUEUED", "RUNNING");
    }

    worker(settings, "second"); // same instance id: its transactional id fences the first
    assertThat(e2e.events().awaitTerminal(jobs, WAIT))
        .as("jobs with a terminal event")
        .isEqualTo(jobs.size());
    for (String job : jobs) {
      Expect.outputsInS3(Expect.completed(e2e.events(), job), s3, e2e.sim(), true);
    }
    Expect.paid(e2e.sim(), 1, jobs);
  }

  private WorkerSettings settings(String instanceId) {
    return e2e.settings(instanceId)
        .with("kafka.client.session.timeout.ms", "6000")
        .with("kafka.client.heartbeat.interval.ms", "1000")
        // a killed worker never says whether it sent its POST: wait for its word only briefly
        .with("jobs.unresolved-submit-wait", "5s");
  }

  private WorkerProcess worker(WorkerSettings settings, String name) throws Exception {
    WorkerProcess w = e2e.process(settings, name);
    workers.add(w);
    return w;
  }

  private void send(String job) {
    e2e.commands()
        .send(
            job.hashCode() % 2 == 0
                ? Commands.restyle(job, Instant.now())
                : Commands.actOne(job, Instant.now()));
  }

  static List<String> jobs(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + "-" + i + "-" + UUID.randomUUID());
    }
    return out;
  }

  @SafeVarargs
  static List<String> concat(List<String>... lists) {
    List<String> out = new ArrayList<>();
    for (List<String> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
