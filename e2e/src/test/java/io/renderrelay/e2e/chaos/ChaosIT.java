package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A smoke of the chaos harness ({@code scripts/chaos}'s engine) in the suite: 16 jobs through two
 * worker processes in a 15 s fault window while workers are SIGKILLed twice, the broker restarts,
 * S3 is away and the provider misbehaves; every invariant must hold. The long runs (1000 jobs, >=
 * 20 kills, the production-life scenarios) are {@code scripts/chaos}'s, outside the suite.
 */
class ChaosIT {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);
  private static final int JOBS = 16;

  @Test
  @Timeout(300)
  void everyInvariantHoldsWhileWorkersAreKilledAndTheInfrastructureFails() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "chaos-it-");
    ChaosSettings settings =
        new ChaosSettings(
            11L,
            JOBS,
            Duration.ofSeconds(15),
            2,
            2,
            Duration.ofSeconds(4),
            true,
            Duration.ofMinutes(3),
            0.01,
            work,
            "256m");

    ChaosReport report = new ChaosRun(settings, LOG::info).run();
    report.lines().forEach(LOG::info);

    assertThat(report.violations()).as(String.join("\n", report.lines())).isEmpty();
    assertThat(report.lost()).isZero();
    assertThat(report.duplicateEvents()).isZero();
    assertThat(report.doublePaid()).isZero();
    assertThat(report.badObjects()).isZero();
    assertThat(report.completed() + report.failed() + report.ambiguous()).isEqualTo(JOBS);
    assertThat(report.completed()).as("most jobs complete").isGreaterThan(JOBS / 2);
    assertThat(report.kills()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(report.faults())
        .anyMatch(f -> f.startsWith("broker restarted"))
        .anyMatch(f -> f.startsWith("S3 unreachable"));
    assertThat(report.details().get("objects_verified")).isGreaterThanOrEqualTo(report.completed());
  }
}
