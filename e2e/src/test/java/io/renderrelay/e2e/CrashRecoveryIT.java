package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Real crashes: the worker runs in its own JVM and is SIGKILLed while submits are in flight and
 * while jobs are being polled; a replacement with the same instance id (so its transactional id
 * fences the dead one) finishes the work. Nothing is lost, nothing is paid twice, and every job has
 * exactly one terminal event.
 */
@Timeout(150)
class CrashRecoveryIT {

  static final Duration WAIT = Duration.ofSeconds(60);

  static DevStack stack;
  static Commands commands;
  static EventCollector events;
  static S3Objects s3;
  static SimulatorControl sim;
  static DltProbe dlt;
  final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeAll
  static void start() {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withRenderTimeOverride(Duration.ofSeconds(3))
                        .withTaskNotExistWindow(Duration.ofMillis(300))));
    sim = stack.simulator().control();
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    s3 = new S3Objects(stack);
    dlt = new DltProbe(stack.kafka().bootstrapServers());
  }

  @AfterEach
  void stopWorkers() throws Exception {
    sim.faults().clear();
    for (WorkerProcess w : workers) {
      if (w.alive()) {
        w.terminate(
            Duration.ofSeconds(30)); // a clean leave, so the next test's worker joins at once
      }
    }
    assertThat(events.duplicated()).as("jobs with more than one terminal event").isEmpty();
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(s3, events, commands, stack);
  }

  @Test
  void killedWhileSubmitsAreInFlightNoJobIsPaidTwiceAndNoneIsLost(TestInfo test) throws Exception {
    WorkerSettings settings = settings("crash-submit");
    WorkerProcess first = worker(settings, test, "first");
    List<String> polling = jobs("polling", 3);
    polling.forEach(this::send);
    Waits.paid(sim, polling, WAIT);
    long polls = sim.polls();
    Waits.until("polls of the first jobs", WAIT, () -> sim.polls() >= polls + polling.size());

    sim.faults().slowAnswers(new Faults.SlowAnswers(1.0, 20_000)); // paid at once, answered late
    List<String> inFlight = jobs("in-flight", 3);
    inFlight.forEach(this::send);
    Waits.paid(sim, inFlight, WAIT);
    first.kill();
    sim.faults().clear();
    assertThat(events.terminalCount(inFlight)).isZero();

    List<String> whileDown = jobs("while-down", 2);
    whileDown.forEach(this::send);
    worker(settings, test, "second");
    List<String> all = concat(polling, inFlight, whileDown);
    assertThat(events.awaitTerminal(all, WAIT))
        .as("jobs with a terminal event")
        .isEqualTo(all.size());

    for (String job : all) {
      assertThat(sim.paidSubmissions().getOrDefault(job, 0))
          .as("paid submissions of %s", job)
          .isLessThanOrEqualTo(1);
      if (events.eventsOf(job).get(0) instanceof RenderCompleted) {
        Expect.paid(sim, 1, List.of(job));
      }
    }
    for (String job : concat(polling, whileDown)) {
      Expect.outputsInS3(Expect.completed(events, job), s3, sim, true);
    }
    Map<String, List<ConsumerRecord<byte[], byte[]>>> dead = dlt.awaitKeys(inFlight, WAIT);
    for (String job : inFlight) {
      RenderFailed failed = Expect.failed(events, job, FailureReason.AMBIGUOUS_SUBMIT);
      assertThat(failed.getRetryable()).isFalse();
      assertThat(dead.get(job)).as("DLT records of %s", job).hasSize(1);
      assertThat(DltProbe.header(dead.get(job).get(0), DltHeaders.REASON))
          .isEqualTo("AMBIGUOUS_SUBMIT");
    }
    Expect.paid(sim, 1, all);
  }

  @Test
  void killedWhilePollingTheReplacementFinishesEveryJob(TestInfo test) throws Exception {
    sim.renderTimeOverride(Duration.ofSeconds(12));
    WorkerSettings settings = settings("crash-poll");
    WorkerProcess first = worker(settings, test, "first");
    List<String> jobs = jobs("poll", 4);
    jobs.forEach(this::send);
    Waits.paid(sim, jobs, WAIT);
    long polls = sim.polls();
    Waits.until("polls of every job", WAIT, () -> sim.polls() >= polls + 2L * jobs.size());
    sim.renderTimeOverride(Duration.ofSeconds(3));
    first.kill();
    assertThat(events.terminalCount(jobs)).isZero();
    for (String job : jobs) {
      assertThat(sim.task(sim.taskIdsOfJob(job).get(0)).orElseThrow().phase())
          .as("task of %s when the worker died", job)
          .isIn("QUEUED", "RUNNING");
    }

    worker(settings, test, "second"); // same instance id: its transactional id fences the first
    assertThat(events.awaitTerminal(jobs, WAIT))
        .as("jobs with a terminal event")
        .isEqualTo(jobs.size());
    for (String job : jobs) {
      Expect.outputsInS3(Expect.completed(events, job), s3, sim, true);
    }
    Expect.paid(sim, 1, jobs);
  }

  private WorkerSettings settings(String instanceId) {
    return new WorkerSettings(stack, instanceId)
        .with("kafka.client.session.timeout.ms", "6000")
        .with("kafka.client.heartbeat.interval.ms", "1000")
        // a killed worker never says whether it sent its POST: wait for its word only briefly
        .with("jobs.unresolved-submit-wait", "5s");
  }

  private WorkerProcess worker(WorkerSettings settings, TestInfo test, String name)
      throws Exception {
    String method = test.getTestMethod().orElseThrow().getName();
    Path log =
        Path.of(
            "target",
            "worker-logs",
            getClass().getSimpleName() + "-" + method + "-" + name + ".log");
    WorkerProcess w = WorkerProcess.start(settings.asEnvironment(), log, "256m");
    workers.add(w);
    return w.awaitReady(Duration.ofSeconds(60));
  }

  private void send(String job) {
    commands.send(
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
