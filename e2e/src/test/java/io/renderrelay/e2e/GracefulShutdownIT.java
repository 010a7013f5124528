package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.simulator.SimulatorControl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM to a worker process under load (submits still queued behind the rate limiter, tasks
 * rendering): it drains within its grace period and exits 0; a second worker with the same instance
 * id takes over, and every job ends exactly once, paid once, never AMBIGUOUS.
 */
@Timeout(240)
class GracefulShutdownIT {

  static final int JOBS = 100;
  static final Duration GRACE = Duration.ofSeconds(15);

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(4));

  @Test
  void sigtermUnderLoadDrainsAndEveryJobEndsExactlyOnce() throws Exception {
    // 20 submits a second: 100 jobs take 5 s to submit, so SIGTERM lands among queued submits.
    Map<String, String> env =
        e2e.settings("graceful-it")
            .with("provider.submits-per-second", "20")
            .with("shutdown.grace", GRACE.toSeconds() + "s")
            .asEnvironment();
    Path dir = Files.createDirectories(Path.of("target", "graceful-shutdown-it"));
    WorkerProcess first = startWorker(env, dir.resolve("worker-1.log"));

    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String id = "graceful-" + i + "-" + UUID.randomUUID();
      e2e.commands()
          .sendAsync(
              i % 4 == 3
                  ? Commands.actOne(id, Instant.now())
                  : Commands.restyle(id, Instant.now()));
      jobs.add(id);
    }
    e2e.commands().flush();

    SimulatorControl sim = e2e.sim();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (paid(sim, jobs) < 30 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    long paidAtSigterm = paid(sim, jobs);
    assertThat(paidAtSigterm).as("submissions before SIGTERM").isGreaterThanOrEqualTo(30);
    assertThat(paidAtSigterm).as("still under load at SIGTERM").isLessThan(JOBS);

    java.util.concurrent.CompletableFuture<Integer> exited =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return first.terminate(GRACE.plusSeconds(20));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
    // the reference is the moment the worker stopped starting submits (its log line), not the
    // moment this test sent the signal: submits paid while the signal is delivered and the stop
    // runs are not "after SIGTERM" (at 20 a second, 100-200 ms of that were 2-4 submits and the
    // bound taken before the signal failed once with 47 vs 46)
    long paidAtStop = paidWhenLogged(sim, jobs, first.log(), STOP_LINE);
    int exit = exited.get(GRACE.plusSeconds(30).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(exit).as("exit code after SIGTERM, see " + first.log()).isZero();
    // no new paid submit starts once the worker stops: only POSTs that passed their check just
    // before the flag (one permit per 50 ms) and the log pump's lag may still land
    assertThat(paid(sim, jobs)).as("paid after SIGTERM").isLessThanOrEqualTo(paidAtStop + 2);
    String log = awaitLog(first.log(), "STOPPED worker drained=");
    assertThat(log)
        .contains("drain for shutdown done")
        .contains("render-relay worker stopping drained=true")
        .contains("STOPPED worker drained=true")
        .doesNotContain("ended by its grace period");
    long terminalAtStop = e2e.events().terminalCount(jobs);
    assertThat(terminalAtStop).as("jobs ended before the takeover").isLessThan(JOBS);

    startWorker(env, dir.resolve("worker-2.log"));
    assertThat(e2e.events().awaitTerminal(jobs, Duration.ofSeconds(120)))
        .as("jobs with a terminal event")
        .isEqualTo(JOBS);
    Thread.sleep(500); // a last chance for a duplicate to show up
    Map<String, Integer> paid = sim.paidSubmissions();
    for (String j : jobs) {
      List<Object> ev = e2e.events().eventsOf(j);
      assertThat(ev).as("terminal events of %s", j).hasSize(1);
      assertThat(ev.get(0)).as("%s: %s", j, ev.get(0)).matches(EventCollector::completed);
      assertThat(paid.get(j)).as("paid submissions of %s", j).isEqualTo(1);
    }
  }

  @Test
  void aSecondWorkerWithTheSameInstanceIdIsRefusedAtStart() throws Exception {
    Map<String, String> env = e2e.settings("duplicate-it").asEnvironment();
    Path dir = Files.createDirectories(Path.of("target", "graceful-shutdown-it"));
    WorkerProcess first = startWorker(env, dir.resolve("duplicate-1.log"));
    Path secondLog = dir.resolve("duplicate-2.log");
    Files.deleteIfExists(secondLog);
    WorkerProcess second = e2e.own(WorkerProcess.start(env, secondLog, "256m"));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (second.alive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(second.alive()).as("the duplicate is still running, see " + secondLog).isFalse();
    assertThat(second.terminate(Duration.ofSeconds(5)))
        .as("exit code of the duplicate")
        .isEqualTo(3);
    assertThat(awaitLog(secondLog, "refusing to start"))
        .contains("instance id 'duplicate-it' is already in use on this host");
    assertThat(first.alive()).as("the first worker goes on").isTrue();
    assertThat(first.terminate(GRACE.plusSeconds(20))).isZero();
  }

  private static WorkerProcess startWorker(Map<String, String> env, Path log) throws Exception {
    Files.deleteIfExists(log);
    return e2e.own(WorkerProcess.start(env, log, "256m")).awaitReady(Duration.ofSeconds(60));
  }

  private static long paid(SimulatorControl sim, List<String> jobs) {
    Map<String, Integer> p = sim.paidSubmissions();
    return jobs.stream().filter(p::containsKey).count();
  }

  private static final String STOP_LINE = "no new paid submit starts from here on";

  /** The jobs paid as soon as {@code log} holds {@code marker}, polled every few milliseconds. */
  private static long paidWhenLogged(
      SimulatorControl sim, List<String> jobs, Path log, String marker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(marker)) {
        return paid(sim, jobs);
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the worker never logged '" + marker + "'; see " + log);
  }

  /** The log once it holds {@code marker} (the output pump may lag the process exit). */
  private static String awaitLog(Path log, String marker) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String text = "";
    while (System.nanoTime() < deadline) {
      text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
      if (text.contains(marker)) {
        break;
      }
      Thread.sleep(50);
    }
    return text;
  }
}
