package io.renderrelay.e2e.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a chaos run does: how many jobs, for how long faults are injected, how many workers and
 * kills, how long S3 is away, and how long the run may take to settle afterwards.
 *
 * @param seed seed of every random choice of the plan and the simulator
 * @param jobs commands published (half restyle, half act-one, in seeded order)
 * @param window how long faults are injected; jobs are published during its first 85 % (the kills
 *     end at 90 %)
 * @param kills SIGKILLs of a worker process (each restarted after a short downtime)
 * @param workers worker processes in the one consumer group
 * @param s3Pause how long S3 is unreachable (once)
 * @param brokerRestart whether the Kafka broker is restarted once
 * @param settleTimeout how long, after the window, every job may take to reach its terminal event
 * @param timeScale the simulator's render-time scale (1.0 = real provider times)
 * @param workDir where worker logs and ledgers go
 * @param workerHeap -Xmx of each worker JVM, e.g. {@code 384m}
 */
record ChaosSettings(
    long seed,
    int jobs,
    Duration window,
    int kills,
    int workers,
    Duration s3Pause,
    boolean brokerRestart,
    Duration settleTimeout,
    double timeScale,
    Path workDir,
    String workerHeap) {

  /** Validates the settings. */
  public ChaosSettings {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
    }
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (kills < 0) {
      throw new IllegalArgumentException("kills must be >= 0, got " + kills);
    }
    if (window.toSeconds() < 10) {
      throw new IllegalArgumentException("the fault window must be at least 10 s, got " + window);
    }
    if (s3Pause.compareTo(window.dividedBy(3)) > 0) {
      throw new IllegalArgumentException("the S3 pause must fit in a third of the window");
    }
    Objects.requireNonNull(settleTimeout, "settleTimeout");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(workerHeap, "workerHeap");
  }

  /**
   * The settings of {@code scripts/chaos}: three workers, at least 20 kills (four per minute of
   * window), one broker restart, S3 away for 30 s, provider render times scaled to 2 %.
   */
  public static ChaosSettings script(long seed, int jobs, int minutes, Path workDir) {
    Duration window = Duration.ofMinutes(minutes);
    return new ChaosSettings(
        seed,
        jobs,
        window,
        Math.max(20, minutes * 4),
        3,
        Duration.ofSeconds(30),
        true,
        Duration.ofMinutes(10),
        0.02,
        workDir,
        "384m");
  }
}
