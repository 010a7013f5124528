package io.renderrelay.e2e.bench;

import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two sides of the throughput bench over the same stack: the in-process worker, running all
 * along on the command topics, and a bare relay on command topics of its own, started for each of
 * its runs and closed after it (running beside the worker's pools, 2,048 jobs in flight exhausted
 * the process's 20,000 file descriptors). A measured run publishes a load of jobs and waits for
 * their events, with the same JFR settings and the bench JVM's CPU time counted on either side.
 */
final class ThroughputSides implements AutoCloseable {

  /** Jobs a new bare relay runs, untimed, before its measured run (group join, pools). */
  static final int BARE_START_JOBS = 100;

  private final BenchContext ctx;
  private final WorkerConfig config;
  private final String registry;
  private final Commands commands;
  private final Commands bareCommands;
  private final EventCollector events;
  private final RenderRelayWorker worker;

  ThroughputSides(
      BenchContext ctx,
      WorkerConfig config,
      String registry,
      Commands commands,
      Commands bareCommands,
      EventCollector events)
      throws java.io.IOException {
    this.ctx = ctx;
    this.config = config;
    this.registry = registry;
    this.commands = commands;
    this.bareCommands = bareCommands;
    this.events = events;
    this.worker = RenderRelayWorker.start(config, Clock.systemUTC());
  }

  /** One measured run: its jobs, how long they took, its profile and this JVM's CPU time. */
  record Measured(JobLoad load, Duration took, Map<String, Object> profile, double cpuSeconds) {
    double jobsPerSecond() {
      return load.jobIds().size() / BenchContext.seconds(took);
    }

    /** The figures every side reports. */
    Map<String, Object> summary() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("jobsPerSecond", jobsPerSecond());
      m.put("seconds", BenchContext.seconds(took));
      m.put("processCpuSeconds", cpuSeconds);
      m.put("profile", profile);
      return m;
    }
  }

  /** Warms both sides up with {@code jobs} jobs each (the code they share is compiled here). */
  void warmUp(int jobs) throws Exception {
    ctx.note("throughput: warm-up with %d jobs a side", jobs);
    JobLoad.of("warm", jobs)
        .publish(commands)
        .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
    try (BareRelay relay = newBareRelay()) {
      JobLoad.of("bare-warm", jobs)
          .publish(bareCommands)
          .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
      requireNoFailure(relay);
    }
  }

  Measured renderRelay(int round, int jobs) throws Exception {
    ctx.note("throughput: round %d, render-relay, %d jobs", round, jobs);
    Measured run =
        measure(ctx, commands, events, "tp" + round + "-", jobs, "throughput-" + round + ".jfr");
    ctx.note("throughput: render-relay %.1f jobs/s", run.jobsPerSecond());
    return run;
  }

  Measured bare(int round, int jobs) throws Exception {
    try (BareRelay relay = newBareRelay()) {
      JobLoad.of("bare-start" + round + "-", BARE_START_JOBS)
          .publish(bareCommands)
          .awaitAll(events, Duration.ofMinutes(1), Duration.ofMillis(100));
      ctx.note("throughput: round %d, bare relay, %d jobs", round, jobs);
      Measured run;
      try {
        run =
            measure(
                ctx,
                bareCommands,
                events,
                "bare-tp" + round + "-",
                jobs,
                "throughput-bare-relay-" + round + ".jfr");
      } finally {
        if (relay.failures() > 0) {
          ctx.note(
              "throughput: bare relay failures: %d, first: %s",
              relay.failures(), relay.failureSamples());
        }
      }
      requireNoFailure(relay);
      ctx.note("throughput: bare relay %.1f jobs/s", run.jobsPerSecond());
      return run;
    }
  }

  private BareRelay newBareRelay() {
    return new BareRelay(
        config, registry, ThroughputBench.BARE_TOPICS, "bare-", ThroughputBench.BARE_MAX_IN_FLIGHT);
  }

  private static void requireNoFailure(BareRelay relay) {
    if (relay.failures() > 0) {
      throw new IllegalStateException(
          "bare relay: " + relay.failures() + " jobs failed: " + relay.failureSamples());
    }
  }

  /**
   * Publishes {@code jobs} commands through {@code commands} and waits until each has its event
   * (failing if any has none within the timeout), recorded into {@code jfr}: a profiler on one side
   * only slowed that side alone; the two profiles also show what a job costs on each.
   */
  static Measured measure(
      BenchContext ctx,
      Commands commands,
      EventCollector events,
      String prefix,
      int jobs,
      String jfr)
      throws Exception {
    long cpuBefore = processCpuNanos();
    Measured run;
    try (Profile recording = Profile.start(ctx.file(jfr))) {
      JobLoad load = JobLoad.of(prefix, jobs).publish(commands);
      Duration took =
          load.awaitAll(
              events,
              ctx.pick(Duration.ofMinutes(3), Duration.ofMinutes(15)),
              Duration.ofMillis(100));
      double cpuSeconds = (processCpuNanos() - cpuBefore) / 1e9; // before reading the recording
      run = new Measured(load, took, recording.stopAndSummarise(12), cpuSeconds);
    }
    long done = events.terminalCount(run.load().jobIds());
    if (done < jobs) {
      throw new IllegalStateException(
          prefix + ": only " + done + " of " + jobs + " jobs ended within the timeout");
    }
    return run;
  }

  /** CPU time of this JVM so far (every thread: the worker, the stack, the load generators). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  @Override
  public void close() {
    worker.close();
  }
}
