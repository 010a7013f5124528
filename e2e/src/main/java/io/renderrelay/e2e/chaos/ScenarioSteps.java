package io.renderrelay.e2e.chaos;

import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.config.ProviderKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The steps of each production-life scenario: what happens to the fleet while its jobs run. Each
 * scenario starts its own workers and stops them with SIGTERM (never SIGKILL) when its jobs have
 * ended or its settle time is over.
 */
final class ScenarioSteps {

  /** How far ahead the skewed worker's clock runs. */
  static final Duration SKEW = Duration.ofMinutes(10);

  /** {@code provider.max-tasks-in-flight} of the scale scenario's workers. */
  static final int SCALE_MAX_TASKS_IN_FLIGHT = 4;

  /** {@code provider.submits-per-second} of the scale, stall and skew workers. */
  private static final String BUSY_SUBMIT_RATE = "10";

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STALL = Duration.ofSeconds(20);
  private static final Duration BACKLOG_SETTLE = Duration.ofSeconds(10);

  /** Open deploy jobs each SIGTERM meets at least (the first one meets the whole backlog). */
  private static final int STEP_BACKLOG = 300;

  private final ScenarioRun run;
  private final RevokeLog revokes;

  ScenarioSteps(ScenarioRun run) {
    this.run = run;
    this.revokes = new RevokeLog(run.logs());
  }

  void run(Scenario s) throws Exception {
    switch (s) {
      case DEPLOY -> deploy();
      case SCALE -> scale();
      case STALL -> stall();
      case SKEW -> skew();
      case UPGRADE -> new UpgradeSteps(run).run();
      case KILL -> throw new IllegalArgumentException("kill is ChaosRun's");
    }
  }

  /**
   * A rolling deploy over a backlog, at the default submit rate: three workers, then for each one a
   * new worker is started (and has joined), the old one gets SIGTERM and is waited for.
   */
  private void deploy() throws Exception {
    String rate = rate();
    List<WorkerSettings> first = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      first.add(settings("deploy-w" + i).with("provider.submits-per-second", rate));
    }
    try (WorkerFleet fleet = run.fleet(first)) {
      fleet.startAll();
      Set<String> live = new LinkedHashSet<>(List.of("deploy-w1", "deploy-w2", "deploy-w3"));
      AssignmentWatch.Snapshot before = run.assignments().awaitStable(live, STEP_TIMEOUT);
      int backlog = Math.max(ScenarioSettings.DEPLOY_MIN_BACKLOG, run.settings().jobs());
      List<String> ids = new ArrayList<>(run.publish(Scenario.DEPLOY, backlog, Duration.ZERO));
      run.progress("chaos: deploy: " + backlog + " commands queued, submit rate " + rate + "/s");
      Thread.sleep(BACKLOG_SETTLE);
      for (int step = 0; step < 3; step++) {
        before = rollOne(fleet, live, step, before, ids);
      }
      run.awaitEnded(ids);
      stopAll(fleet);
    }
  }

  private AssignmentWatch.Snapshot rollOne(
      WorkerFleet fleet,
      Set<String> live,
      int step,
      AssignmentWatch.Snapshot before,
      List<String> ids)
      throws Exception {
    String oldId = "deploy-w" + (step + 1);
    String newId = "deploy-w" + (step + 4);
    Map<Path, Integer> mark = revokes.mark();
    fleet.add(settings(newId).with("provider.submits-per-second", rate()));
    live.add(newId);
    AssignmentWatch.Snapshot joined = run.assignments().awaitStable(live, STEP_TIMEOUT);
    // a new pod takes a while to start: top the backlog up, so that every SIGTERM meets one
    long open = ids.size() - run.ended(ids);
    if (open < STEP_BACKLOG) {
      ids.addAll(run.publish(Scenario.DEPLOY, (int) (STEP_BACKLOG - open), Duration.ZERO));
      Thread.sleep(BACKLOG_SETTLE);
    }
    long backlog = ids.size() - run.ended(ids);
    long t0 = System.nanoTime();
    int exit = fleet.terminate(step, STEP_TIMEOUT);
    long drainMs = Duration.ofNanos(System.nanoTime() - t0).toMillis();
    live.remove(oldId);
    AssignmentWatch.Snapshot after = run.assignments().awaitStable(live, STEP_TIMEOUT);
    int movedIn = before.movedTo(joined);
    int movedOut = joined.movedTo(after);
    int revoked = revokes.revokedSince(mark);
    run.progress(
        String.format(
            "chaos: deploy step %d: %s joined (%d of %d partitions moved), %s got SIGTERM with"
                + " %d jobs open and exited %d after %d ms (%d partitions moved); partitions"
                + " revoked in drains: %d; jobs ended so far %d/%d",
            step + 1,
            newId,
            movedIn,
            joined.owners().size(),
            oldId,
            backlog,
            exit,
            drainMs,
            movedOut,
            revoked,
            run.ended(ids),
            ids.size()));
    run.note("deploy_partitions_moved", movedIn + movedOut);
    run.note("deploy_partitions_revoked", revoked);
    run.note("deploy_partitions_total", joined.owners().size());
    if (exit != 0) {
      run.note("deploy_undrained_exits", 1);
      run.violation(
          oldId + " exited " + exit + " after SIGTERM: its drain was ended by the grace period");
    }
    return after;
  }

  private static String rate() {
    return ProviderKeys.PROVIDER_SUBMITS_PER_SECOND.defaultValue().orElseThrow();
  }

  /** 1 -> 3 -> 1 workers under load with a small {@code provider.max-tasks-in-flight}. */
  private void scale() throws Exception {
    try (WorkerFleet fleet = run.fleet(List.of(scaleSettings("scale-w1")))) {
      fleet.startAll();
      int half = run.settings().jobs() / 2;
      CompletableFuture<List<String>> ids =
          publishInBackground(Scenario.SCALE, half, Duration.ofSeconds(20));
      Thread.sleep(Duration.ofSeconds(15));
      Set<String> live = new LinkedHashSet<>(List.of("scale-w1"));
      AssignmentWatch.Snapshot one = run.assignments().awaitStable(live, STEP_TIMEOUT);
      for (String id : List.of("scale-w2", "scale-w3")) {
        fleet.add(scaleSettings(id));
        live.add(id);
      }
      AssignmentWatch.Snapshot three = run.assignments().awaitStable(live, STEP_TIMEOUT);
      run.progress("chaos: scale: 1 -> 3 workers, " + one.movedTo(three) + " partitions moved");
      Thread.sleep(Duration.ofSeconds(20));
      for (int idx : List.of(2, 1)) {
        int exit = fleet.terminate(idx, STEP_TIMEOUT);
        live.remove(fleet.instanceId(idx));
        run.progress("chaos: scale: " + fleet.instanceId(idx) + " got SIGTERM, exited " + exit);
        if (exit != 0) {
          run.violation(fleet.instanceId(idx) + " exited " + exit + " after SIGTERM (scale-in)");
        }
      }
      AssignmentWatch.Snapshot back = run.assignments().awaitStable(live, STEP_TIMEOUT);
      run.progress("chaos: scale: 3 -> 1 workers, " + three.movedTo(back) + " partitions moved");
      run.note("scale_partitions_moved", one.movedTo(three) + three.movedTo(back));
      // load after the scale-in: the one worker left must take new commands again
      List<String> all = new ArrayList<>(ids.get(5, TimeUnit.MINUTES));
      all.addAll(run.publish(Scenario.SCALE, run.settings().jobs() - half, Duration.ofSeconds(20)));
      run.awaitEnded(all);
      stopAll(fleet);
    }
  }

  private WorkerSettings scaleSettings(String id) {
    return settings(id)
        .with("provider.submits-per-second", BUSY_SUBMIT_RATE)
        .with("provider.max-tasks-in-flight", Integer.toString(SCALE_MAX_TASKS_IN_FLIGHT));
  }

  /** One worker SIGSTOPped for 20 s (the session timeout is 6 s), then SIGCONT. */
  private void stall() throws Exception {
    try (WorkerFleet fleet = run.fleet(busyFleet("stall", List.of()))) {
      fleet.startAll();
      CompletableFuture<List<String>> ids =
          publishInBackground(Scenario.STALL, run.settings().jobs(), Duration.ofSeconds(40));
      Thread.sleep(Duration.ofSeconds(12));
      fleet.suspend(0);
      run.progress("chaos: stall: stall-w1 SIGSTOPped for " + STALL.toSeconds() + " s");
      Thread.sleep(STALL);
      fleet.resume(0);
      run.progress("chaos: stall: stall-w1 SIGCONTinued");
      run.awaitEnded(ids.get(5, TimeUnit.MINUTES));
      stopAll(fleet);
    }
  }

  /** One worker of three with its clock 10 minutes ahead (a test-only clock offset). */
  private void skew() throws Exception {
    List<String> jvm = List.of("-Drenderrelay.testing.clock-offset=" + SKEW);
    try (WorkerFleet fleet = run.fleet(busyFleet("skew", jvm))) {
      fleet.startAll();
      run.progress("chaos: skew: skew-w1's clock runs " + SKEW.toMinutes() + " min ahead");
      List<String> ids = run.publish(Scenario.SKEW, run.settings().jobs(), Duration.ofSeconds(40));
      run.awaitEnded(ids);
      stopAll(fleet);
    }
  }

  /** Three workers at a higher submit rate; the first one gets {@code firstJvmOptions}. */
  private List<WorkerSettings> busyFleet(String name, List<String> firstJvmOptions) {
    List<WorkerSettings> out = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      WorkerSettings s =
          settings(name + "-w" + i).with("provider.submits-per-second", BUSY_SUBMIT_RATE);
      if (i == 1) {
        firstJvmOptions.forEach(s::withJvmOption);
      }
      out.add(s);
    }
    return out;
  }

  private CompletableFuture<List<String>> publishInBackground(Scenario s, int n, Duration over) {
    CompletableFuture<List<String>> out = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("chaos-publish-" + s.label())
        .start(
            () -> {
              try {
                out.complete(run.publish(s, n, over));
              } catch (Exception e) {
                out.completeExceptionally(e);
              }
            });
    return out;
  }

  private WorkerSettings settings(String instanceId) {
    return run.workerSettings(instanceId);
  }

  /** SIGTERM to every worker still running, one after the other, before the next scenario. */
  private void stopAll(WorkerFleet fleet) throws InterruptedException {
    for (int i = 0; i < fleet.size(); i++) {
      if (fleet.isReady(i)) {
        int exit = fleet.terminate(i, STEP_TIMEOUT);
        run.progress("chaos: " + fleet.instanceId(i) + " stopped (SIGTERM), exit code " + exit);
      }
    }
  }
}
