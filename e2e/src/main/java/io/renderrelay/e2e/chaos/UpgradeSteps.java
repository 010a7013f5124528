package io.renderrelay.e2e.chaos;

import io.renderrelay.e2e.WorkerSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code scripts/chaos --scenario upgrade}: release N (this build) hands over to N+1 (this build
 * with {@link NextSchemas}' added optional field in RestyleCommand and JobState) while jobs run, as
 * docs/operations.md's upgrade procedure says, and back: N; N+1 writing N's schema ({@code
 * ledger.write-schema-version}, step 1); a rollback to N; step 1 again; N+1 writing its own schema
 * (step 2). Each hand-over replaces the workers one at a time (start the new one, SIGTERM the old
 * one) while a batch of jobs is published, so ledger entries and tickets of both versions are in
 * flight; one batch runs before the first hand-over and one after the last. Checked on top of the
 * run's invariants: no worker logs an {@code UnknownWriterSchemaException}, and render.jobs holds
 * entries written with N's and with N+1's JobState schema.
 */
final class UpgradeSteps {

  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration BATCH_SPREAD = Duration.ofSeconds(20);
  private static final int WORKERS = 2;
  private static final String PREFIX = "upgrade-w";

  /** What a worker of the run is built and configured as. */
  private enum Release {
    N("N"),
    NEXT_WRITING_N("N+1 writing N's schema"),
    NEXT("N+1");

    final String label;

    Release(String label) {
      this.label = label;
    }
  }

  private static final List<Release> PLAN =
      List.of(Release.N, Release.NEXT_WRITING_N, Release.N, Release.NEXT_WRITING_N, Release.NEXT);

  private final ScenarioRun run;
  private NextSchemas.Build next;
  private int started;

  UpgradeSteps(ScenarioRun run) {
    this.run = run;
  }

  void run() throws Exception {
    next = NextSchemas.build(run.settings().workDir().resolve("schema-next"));
    run.progress(
        "chaos: upgrade: N+1 built in "
            + next.classes()
            + " (adds "
            + NextSchemas.FIELD
            + " to RestyleCommand and JobState; N's internal records are release "
            + next.currentVersion()
            + ")");
    // one batch before the first hand-over, one during each, one after the last
    int batches = PLAN.size() + 1;
    int batch = Math.max(1, (run.settings().jobs() + batches - 1) / batches);
    List<String> ids = new ArrayList<>();
    List<WorkerSettings> first = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      first.add(settings(Release.N));
    }
    try (WorkerFleet fleet = run.fleet(first)) {
      fleet.startAll();
      List<Integer> live = new ArrayList<>(List.of(0, 1));
      run.assignments().awaitStable(instances(fleet, live), STEP_TIMEOUT);
      ids.addAll(run.publish(Scenario.UPGRADE, batch, Duration.ofSeconds(10)));
      for (int phase = 1; phase < PLAN.size(); phase++) {
        Release to = PLAN.get(phase);
        CompletableFuture<List<String>> published = publishInBackground(batch);
        for (int k = 0; k < live.size(); k++) {
          live.set(k, replace(fleet, live, k, to));
        }
        ids.addAll(published.get(5, TimeUnit.MINUTES));
        run.progress(
            "chaos: upgrade: every worker runs "
                + to.label
                + "; jobs ended so far "
                + run.ended(ids)
                + "/"
                + ids.size());
      }
      ids.addAll(run.publish(Scenario.UPGRADE, batch, Duration.ofSeconds(10)));
      run.awaitEnded(ids);
      for (int idx : live) {
        int exit = fleet.terminate(idx, STEP_TIMEOUT);
        run.progress("chaos: " + fleet.instanceId(idx) + " stopped (SIGTERM), exit code " + exit);
      }
    }
    checkLogs();
    checkLedger(Set.copyOf(ids));
  }

  /** Starts a worker of {@code to}, waits for the group, SIGTERMs the one it replaces. */
  private int replace(WorkerFleet fleet, List<Integer> live, int k, Release to) throws Exception {
    int old = live.get(k);
    int idx = fleet.add(settings(to));
    List<Integer> joined = new ArrayList<>(live);
    joined.add(idx);
    run.assignments().awaitStable(instances(fleet, joined), STEP_TIMEOUT);
    int exit = fleet.terminate(old, STEP_TIMEOUT);
    joined.remove(Integer.valueOf(old));
    run.assignments().awaitStable(instances(fleet, joined), STEP_TIMEOUT);
    run.progress(
        String.format(
            "chaos: upgrade: %s (%s) replaced %s, which exited %d",
            fleet.instanceId(idx), to.label, fleet.instanceId(old), exit));
    if (exit != 0) {
      run.violation(fleet.instanceId(old) + " exited " + exit + " after SIGTERM (upgrade step)");
    }
    return idx;
  }

  private WorkerSettings settings(Release release) {
    WorkerSettings s = run.workerSettings(PREFIX + (++started));
    if (release != Release.N) {
      s.withClasspathFirst(next.classes());
    }
    if (release == Release.NEXT_WRITING_N) {
      s.with("ledger.write-schema-version", next.currentVersion());
    }
    return s;
  }

  private static Set<String> instances(WorkerFleet fleet, List<Integer> idx) {
    Set<String> out = new LinkedHashSet<>();
    idx.forEach(i -> out.add(fleet.instanceId(i)));
    return out;
  }

  private CompletableFuture<List<String>> publishInBackground(int n) {
    CompletableFuture<List<String>> out = new CompletableFuture<>();
    Thread.ofVirtual()
        .name("chaos-publish-upgrade")
        .start(
            () -> {
              try {
                out.complete(run.publish(Scenario.UPGRADE, n, BATCH_SPREAD));
              } catch (Exception e) {
                out.completeExceptionally(e);
              }
            });
    return out;
  }

  /** Every record of both versions decoded: no worker met a writer schema it does not know. */
  private void checkLogs() throws IOException {
    long unknown = 0;
    try (Stream<Path> logs = Files.list(run.logs())) {
      for (Path log : logs.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
          unknown += lines.filter(l -> l.contains("UnknownWriterSchemaException")).count();
        }
      }
    }
    run.note("upgrade_unknown_writer_schema_lines", unknown);
    if (unknown > 0) {
      run.violation(
          unknown + " log lines of the upgrade's workers name UnknownWriterSchemaException");
    }
  }

  /** Both versions were really in the ledger: entries of N's and of N+1's JobState schema. */
  private void checkLedger(Set<String> ids) {
    long nextEntries = 0;
    long otherEntries = 0;
    long nextFingerprint = next.nextFingerprint();
    Set<String> jobs = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r :
        TopicReader.readAll(run.bootstrapServers(), "render.jobs", true, Duration.ofSeconds(60))) {
      if (r.key() == null || r.value() == null || r.value().length < 10) {
        continue;
      }
      String job = new String(r.key(), StandardCharsets.UTF_8);
      if (!ids.contains(job)) {
        continue;
      }
      jobs.add(job);
      long fp = ByteBuffer.wrap(r.value(), 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (fp == nextFingerprint) {
        nextEntries++;
      } else {
        otherEntries++;
      }
    }
    run.note("upgrade_ledger_entries_next", nextEntries);
    run.note("upgrade_ledger_entries_current", otherEntries);
    run.progress(
        String.format(
            "chaos: upgrade: render.jobs holds %d entries of N+1's JobState schema and %d of N's"
                + " for %d jobs",
            nextEntries, otherEntries, jobs.size()));
    if (nextEntries == 0 || otherEntries == 0) {
      run.violation(
          "render.jobs should hold entries of both versions (N+1: "
              + nextEntries
              + ", N: "
              + otherEntries
              + "): the hand-over did not mix them");
    }
  }
}
