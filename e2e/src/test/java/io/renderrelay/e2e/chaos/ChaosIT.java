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
 * A short chaos run ({@code scripts/chaos}'s engine): 60 jobs through three worker processes while
 * workers are SIGKILLed, the broker restarts, S3 is away and the provider misbehaves; every
 * invariant must hold.
 */
class ChaosIT {

  private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);

  @Test
  @Timeout(300)
  void everyInvariantHoldsWhileWorkersAreKilledAndTheInfrastructureFails() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "chaos-it-");
    ChaosSettings settings =
        new ChaosSettings(
            11L,
            60,
            Duration.ofSeconds(30),
            5,
            3,
            Duration.ofSeconds(5),
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
    assertThat(report.completed() + report.failed() + report.ambiguous()).isEqualTo(60);
    assertThat(report.completed()).as("most jobs complete").isGreaterThan(30);
    assertThat(report.kills()).hasSizeGreaterThanOrEqualTo(4);
    assertThat(report.faults())
        .anyMatch(f -> f.startsWith("broker restarted"))
        .anyMatch(f -> f.startsWith("S3 unreachable"));
    assertThat(report.details().get("objects_verified")).isGreaterThanOrEqualTo(report.completed());
  }
}
