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
 * The two sides of the throughput bench, running all along over the same stack: the in-process
 * worker on the command topics and the bare relay on topics of its own, so that each is idle while
 * the other is measured. A measured run publishes a load of jobs and waits for their events, with
 * the same JFR settings and the bench JVM's CPU time counted on either side.
 */
final class ThroughputSides implements AutoCloseable {
  /**
   * Both sides, running all along over the same stack: the in-process worker on the command topics
   * and the bare relay on topics of its own, so each is idle while the other is measured.
   */
  private final BenchContext ctx;

  private final Commands commands;
  private final Commands bareCommands;
  private final EventCollector events;
  private final RenderRelayWorker worker;
  private final BareRelay relay;

  ThroughputSides(
      BenchContext ctx,
      WorkerConfig config,
      String registry,
      Commands commands,
      Commands bareCommands,
      EventCollector events)
      throws java.io.IOException {
    this.ctx = ctx;
    this.commands = commands;
    this.bareCommands = bareCommands;
    this.events = events;
    this.worker = RenderRelayWorker.start(config, Clock.systemUTC());
    try {
      this.relay =
          new BareRelay(
              config,
              registry,
              ThroughputBench.BARE_TOPICS,
              "bare-",
              ThroughputBench.BARE_MAX_IN_FLIGHT);
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
  }

  void warmUp(int jobs) throws Exception {
    ctx.note("throughput: warm-up with %d jobs a side", jobs);
    JobLoad.of("warm", jobs)
        .publish(commands)
        .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
    JobLoad.of("bare-warm", jobs)
        .publish(bareCommands)
        .awaitAll(events, Duration.ofMinutes(3), Duration.ofMillis(200));
  }

  Measured renderRelay(int round, int jobs) throws Exception {
    ctx.note("throughput: round %d, render-relay, %d jobs", round, jobs);
    Measured run =
        measure(ctx, commands, events, "tp" + round + "-", jobs, "throughput-" + round + ".jfr");
    ctx.note("throughput: render-relay %.1f jobs/s", run.jobsPerSecond());
    return run;
  }

  Measured bare(int round, int jobs) throws Exception {
    ctx.note("throughput: round %d, bare relay, %d jobs", round, jobs);
    Measured run =
        measure(
            ctx,
            bareCommands,
            events,
            "bare-tp" + round + "-",
            jobs,
            "throughput-bare-relay-" + round + ".jfr");
    if (relay.failures() > 0) {
      throw new IllegalStateException("bare relay: " + relay.failures() + " jobs failed");
    }
    ctx.note("throughput: bare relay %.1f jobs/s", run.jobsPerSecond());
    return run;
  }

  @Override
  public void close() throws Exception {
    try (relay) {
      worker.close();
    }
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
}
