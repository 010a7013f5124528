package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How late the worker takes a poll ticket in after its due time, with thousands of jobs in flight
 * whose render times are spread over minutes (the simulator's lognormal planning figures,
 * time-scaled), measured per ticket through the engine's lateness hook.
 */
public final class PollLatenessBench implements Benchmark {

  /** The default tiers of the configuration. */
  static final String TIERS =
      "render.poll.10s:10s:6,render.poll.30s:30s:20,render.poll.120s:120s:0";

  static final Duration SHORTEST_TIER = Duration.ofSeconds(10);
  static final double TIME_SCALE = 1.0;

  @Override
  public String name() {
    return "poll-lateness";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    int jobs = ctx.pick(2_000, 10_000);
    double timeScale = TIME_SCALE;
    Duration window = ctx.pick(Duration.ofSeconds(45), Duration.ofMinutes(4));
    SimulatorConfig sim = SimulatorConfig.defaults().withTaskNotExistWindow(Duration.ofMillis(500));
    try (DevStack stack =
        ctx.stack(DevStackConfig.defaults().withTimeScale(timeScale).withSimulator(sim))) {
      WorkerConfig config =
          BenchContext.workerSettings(stack, "bench-lateness", TIERS)
              .with("provider.submits-per-second", "400")
              .with("provider.polls-per-second", "2000")
              .with("http.callbacks-per-second", "100000")
              .config();
      Set<String> tiers =
          config.kafka().pollTiers().stream()
              .map(WorkerConfig.PollTier::topic)
              .collect(Collectors.toSet());
      String pollNow = config.kafka().topics().pollNow();
      String bootstrap = stack.kafka().bootstrapServers();
      String registry = stack.registryUrl().orElseThrow();
      LatenessRecorder recorder = new LatenessRecorder();
      JobLoad load = JobLoad.of("late", jobs);
      long endedAtStart;
      try (TopicRecords topics = new TopicRecords(bootstrap);
          Commands commands = new Commands(bootstrap, registry);
          EventCollector events = new EventCollector(bootstrap, registry)) {
        RenderRelayWorker worker = RenderRelayWorker.start(config, Clock.systemUTC(), recorder);
        try {
          ctx.note("poll-lateness: %d jobs, time scale %.2f, ramp-up", jobs, timeScale);
          load.publish(commands);
          ctx.note("poll-lateness: published");
          long t0 = System.nanoTime();
          Intake.awaitAllTakenIn(
              stack, topics, config, ctx.pick(Duration.ofMinutes(2), Duration.ofMinutes(8)));
          Duration rampUp = Duration.ofNanos(System.nanoTime() - t0);
          recorder.clear();
          endedAtStart = events.terminalCount(load.jobIds());
          ctx.note(
              "poll-lateness: all submitted after %d s (%d ended), measuring for %s",
              rampUp.toSeconds(), endedAtStart, window);
          Thread.sleep(window.toMillis());
          ctx.note("poll-lateness: window over, stopping the worker");
        } finally {
          worker.close();
        }
        ctx.note("poll-lateness: worker stopped");
        long[] tiered = recorder.sorted(tiers::contains);
        long[] now = recorder.sorted(pollNow::equals);
        long p99 = LatenessRecorder.quantile(tiered, 0.99);
        double ratio = p99 / (double) SHORTEST_TIER.toMillis();
        plot(ctx, tiered, jobs);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("jobs", jobs);
        params.put("timeScale", timeScale);
        params.put(
            "renderTimes",
            "lognormal: restyle median 150 s p95 480 s, act-one median 180 s p95 720 s, x time"
                + " scale");
        params.put("pollTiers", TIERS + " (the defaults)");
        params.put("providerLimits", "400 submits/s, 2000 polls/s");
        params.put("window", window + " from the moment every job is submitted (ramp-up excluded)");
        params.put("callbacks", "on (a callback becomes a poll-now ticket)");
        params.put(
            "measured", "engine intake time - ticket due time (PipelineListener.pollLateness)");
        params.put(
            "ratioDefinition",
            "p99 lateness / shortest tier delay (" + SHORTEST_TIER.toMillis() + " ms)");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("delayTiers", LatenessRecorder.summary(tiered));
        details.put("pollNow", LatenessRecorder.summary(now));
        details.put("transactionCommits", LatenessRecorder.summary(recorder.commitMillis()));
        details.put("jobsEndedBeforeWindow", endedAtStart);
        details.put("jobsEndedAtEnd", events.terminalCount(load.jobIds()));
        details.put("jobsCompletedAtEnd", load.completed(events));
        details.put("jobsInFlightAtWindowStart", jobs - endedAtStart);
        details.put("providerSubmits", stack.simulator().control().submits());
        return List.of(
            new BenchResult(
                name(),
                p99,
                "ms p99",
                new BenchResult.Reference(
                    "shortest poll tier delay", SHORTEST_TIER.toMillis(), "ms"),
                ratio,
                "p99 <= 250 ms and ratio <= 0.025",
                p99 <= 250 && ratio <= 0.025,
                params,
                details));
      }
    }
  }

  private static void plot(BenchContext ctx, long[] sorted, int jobs) throws Exception {
    List<double[]> cdf = LatenessRecorder.cdf(sorted, 400);
    double[] x = cdf.stream().mapToDouble(p -> p[0]).toArray();
    double[] y = cdf.stream().mapToDouble(p -> p[1]).toArray();
    long p99 = LatenessRecorder.quantile(sorted, 0.99);
    Plots.lines(
        ctx.file("poll-lateness.png"),
        "Poll lateness CDF, "
            + sorted.length
            + " tickets of "
            + jobs
            + " jobs (p99 "
            + p99
            + " ms)",
        "lateness (ms)",
        "fraction of tickets",
        List.of(
            new Plots.Series("poll tiers", Plots.BLUE, x, y),
            new Plots.Series("p99", Plots.RED, new double[] {p99, p99}, new double[] {0, 1})));
  }
}
