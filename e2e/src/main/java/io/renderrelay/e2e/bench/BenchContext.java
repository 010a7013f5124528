package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.e2e.WorkerSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * What every benchmark gets: the mode (quick or full), where to write results, logs and plots, a
 * way to start the embedded stack, and a progress stream (stderr; stdout carries only the result
 * lines).
 *
 * @param quick the short mode ({@code --quick}, under 5 minutes in all)
 * @param outDir {@code target/bench}: results.json, plots, logs, profiles
 * @param progress where progress notes go
 * @param clock wall clock of the run
 */
public record BenchContext(boolean quick, Path outDir, PrintStream progress, Clock clock) {

  /** How often a bench's worker commits. */
  public static final Duration COMMIT_INTERVAL = Duration.ofMillis(100);

  /**
   * The settings a bench's worker starts from: the stack's, these poll tiers, a commit every {@link
   * #COMMIT_INTERVAL} and no cap on provider tasks in flight (a bench loads the worker, not the
   * cap); each bench adds its provider rates.
   */
  public static WorkerSettings workerSettings(DevStack stack, String instanceId, String pollTiers) {
    return new WorkerSettings(stack, instanceId)
        .with("poll.tiers", pollTiers)
        .with("kafka.commit-interval", COMMIT_INTERVAL.toMillis() + "ms")
        .with("provider.max-tasks-in-flight", "100000");
  }

  /** Picks the quick or the full value. */
  public <T> T pick(T quickValue, T fullValue) {
    return quick ? quickValue : fullValue;
  }

  /** Starts the embedded stack (temporary data, deleted when it closes). */
  public DevStack stack(DevStackConfig config) {
    long t0 = System.nanoTime();
    DevStack stack = DevStack.start(config);
    note("stack ready in %d ms: %s", (System.nanoTime() - t0) / 1_000_000, stack.readyLine());
    return stack;
  }

  /** A file under {@code outDir} (its directory created). */
  public Path file(String name) throws IOException {
    Path p = outDir.resolve(name);
    Files.createDirectories(p.toAbsolutePath().getParent());
    return p;
  }

  /** A progress note on stderr. */
  public void note(String format, Object... args) {
    String time = java.time.LocalTime.now(clock).withNano(0).toString();
    progress.printf("bench> " + time + " " + format + "%n", args);
  }

  /** Seconds of a duration as a double. */
  public static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
