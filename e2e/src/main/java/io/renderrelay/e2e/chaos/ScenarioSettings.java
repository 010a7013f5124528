package io.renderrelay.e2e.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a production-life scenario run ({@code scripts/chaos --scenario deploy,scale,stall,skew})
 * does.
 *
 * @param seed seed of the job ids and the simulator
 * @param jobs commands each scenario publishes ({@code deploy} publishes at least {@link
 *     #DEPLOY_MIN_BACKLOG})
 * @param scenarios the scenarios, run one after the other on one stack
 * @param deadline each job's deadline after its publication ({@code jobs.default-deadline})
 * @param grace how long after its deadline a job may still end before it counts as stuck
 * @param timeScale the simulator's render-time scale
 * @param workDir where worker logs and ledgers go
 * @param workerHeap -Xmx of each worker JVM
 */
record ScenarioSettings(
    long seed,
    int jobs,
    List<Scenario> scenarios,
    Duration deadline,
    Duration grace,
    double timeScale,
    Path workDir,
    String workerHeap) {

  /** A rolling deploy is tried against at least this many queued commands. */
  public static final int DEPLOY_MIN_BACKLOG = 500;

  /** Validates the settings. */
  public ScenarioSettings {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be >= 1, got " + jobs);
    }
    if (scenarios.isEmpty() || scenarios.contains(Scenario.KILL)) {
      throw new IllegalArgumentException(
          "scenario runs take deploy, scale, stall, skew and upgrade only");
    }
    scenarios = List.copyOf(scenarios);
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(grace, "grace");
    Objects.requireNonNull(workDir, "workDir");
    Objects.requireNonNull(workerHeap, "workerHeap");
  }

  /**
   * The settings of {@code scripts/chaos --scenario}: 4-minute job deadlines plus 1 minute of grace
   * (each scenario waits for its jobs at most that long), provider render times scaled to 2 %.
   */
  public static ScenarioSettings script(
      long seed, int jobs, List<Scenario> scenarios, Path workDir) {
    return new ScenarioSettings(
        seed, jobs, scenarios, Duration.ofMinutes(4), Duration.ofMinutes(1), 0.02, workDir, "320m");
  }
}
