package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.OutputSizes;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real crash in the middle of copying large renders into S3: the worker JVM is SIGKILLed while 64
 * MiB videos stream from the provider to S3; the replacement copies them again and the objects are
 * byte-exact, with one event and one paid submission per job.
 */
@Timeout(150)
class CopyCrashIT {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final long VIDEO_BYTES = 64L << 20;

  static DevStack stack;
  static Commands commands;
  static EventCollector events;
  static S3Objects s3;
  static SimulatorControl sim;

  @BeforeAll
  static void start() {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withRenderTimeOverride(Duration.ofSeconds(2))
                        .withTaskNotExistWindow(Duration.ofMillis(300))
                        .withOutputSizes(new OutputSizes(VIDEO_BYTES, 256 * 1024, 256 * 1024))));
    sim = stack.simulator().control();
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    s3 = new S3Objects(stack);
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(s3, events, commands, stack);
  }

  @Test
  void killedMidCopyTheReplacementCopiesAgainAndTheObjectsAreExact() throws Exception {
    WorkerSettings settings =
        new WorkerSettings(stack, "crash-copy")
            .with("kafka.client.session.timeout.ms", "6000")
            .with("kafka.client.heartbeat.interval.ms", "1000");
    Path logs = Path.of("target", "worker-logs");
    List<String> jobs = CrashRecoveryIT.jobs("copy", 3);
    try (WorkerProcess first =
        WorkerProcess.start(
            settings.asEnvironment(), logs.resolve("CopyCrashIT-first.log"), "256m")) {
      first.awaitReady(Duration.ofSeconds(60));
      long downloads = sim.fileDownloads();
      for (String job : jobs) {
        commands.send(Commands.restyle(job, Instant.now()));
      }
      Waits.paid(sim, jobs, WAIT);
      Waits.until("the first output download", WAIT, () -> sim.fileDownloads() > downloads);
      first.kill();
    }
    long downloadsAtKill = sim.fileDownloads();
    assertThat(events.terminalCount(jobs))
        .as("jobs finished before the kill")
        .isLessThan(jobs.size());

    try (WorkerProcess second =
        WorkerProcess.start(
            settings.asEnvironment(), logs.resolve("CopyCrashIT-second.log"), "256m")) {
      second.awaitReady(Duration.ofSeconds(60));
      assertThat(events.awaitTerminal(jobs, WAIT))
          .as("jobs with a terminal event")
          .isEqualTo(jobs.size());
      for (String job : jobs) {
        var done = Expect.completed(events, job);
        assertThat(done.getVideo().getSizeBytes()).isEqualTo(VIDEO_BYTES);
        Expect.outputsInS3(done, s3, sim, true);
      }
      assertThat(sim.fileDownloads())
          .as("downloads after the restart")
          .isGreaterThan(downloadsAtKill);
      Expect.paid(sim, 1, jobs);
      assertThat(events.duplicated()).isEmpty();
      second.terminate(Duration.ofSeconds(30));
    }
  }
}
