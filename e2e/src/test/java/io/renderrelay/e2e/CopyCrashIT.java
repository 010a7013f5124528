package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.simulator.OutputSizes;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real crash in the middle of copying large renders into S3: the worker JVM is SIGKILLed while 64
 * MiB videos stream from the provider to S3; the replacement copies them again and the objects are
 * byte-exact, with one event and one paid submission per job.
 */
@Timeout(150)
class CopyCrashIT {

  static final Duration WAIT = Duration.ofSeconds(90);
  static final long VIDEO_BYTES = 64L << 20;

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(
          SimulatorConfig.defaults()
              .withRenderTimeOverride(Duration.ofSeconds(2))
              .withTaskNotExistWindow(Duration.ofMillis(300))
              .withOutputSizes(new OutputSizes(VIDEO_BYTES, 256 * 1024, 256 * 1024)));

  static S3Objects s3;

  @BeforeAll
  static void start() {
    s3 = e2e.s3();
  }

  @Test
  void killedMidCopyTheReplacementCopiesAgainAndTheObjectsAreExact() throws Exception {
    WorkerSettings settings =
        e2e.settings("crash-copy")
            .with("kafka.client.session.timeout.ms", "6000")
            .with("kafka.client.heartbeat.interval.ms", "1000");
    List<String> jobs = CrashRecoveryIT.jobs("copy", 3);
    try (WorkerProcess first = e2e.process(settings, "first")) {
      long downloads = e2e.sim().fileDownloads();
      for (String job : jobs) {
        e2e.commands().send(Commands.restyle(job, Instant.now()));
      }
      Waits.paid(e2e.sim(), jobs, WAIT);
      Waits.until("the first output download", WAIT, () -> e2e.sim().fileDownloads() > downloads);
      first.kill();
    }
    long downloadsAtKill = e2e.sim().fileDownloads();
    assertThat(e2e.events().terminalCount(jobs))
        .as("jobs finished before the kill")
        .isLessThan(jobs.size());

    try (WorkerProcess second = e2e.process(settings, "second")) {
      assertThat(e2e.events().awaitTerminal(jobs, WAIT))
          .as("jobs with a terminal event")
          .isEqualTo(jobs.size());
      for (String job : jobs) {
        var done = Expect.completed(e2e.events(), job);
        assertThat(done.getVideo().getSizeBytes()).isEqualTo(VIDEO_BYTES);
        Expect.outputsInS3(done, s3, e2e.sim(), true);
      }
      assertThat(e2e.sim().fileDownloads())
          .as("downloads after the restart")
          .isGreaterThan(downloadsAtKill);
      Expect.paid(e2e.sim(), 1, jobs);
      assertThat(e2e.events().duplicated()).isEmpty();
      second.terminate(Duration.ofSeconds(30));
    }
  }
}
