package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider requests (submits + Feed Get Task polls) per completed job, with callbacks delivered and
 * with every callback lost, against the ideal of one submit and one poll. Render times and the
 * default poll tiers (10 s / 30 s / 120 s) are scaled by the same factor, so the count is the
 * production one.
 */
public final class ProviderCallsBench implements Benchmark {

  static final long[][] DEFAULT_TIERS = {{10_000, 6}, {30_000, 20}, {120_000, 0}};

  @Override
  public String name() {
    return "provider-calls";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    int jobs = ctx.pick(200, 2_000);
    double scale = ctx.pick(0.015, 0.05);
    Duration timeout = ctx.pick(Duration.ofSeconds(45), Duration.ofMinutes(5));
    String tiers = scaledTiers(scale);
    SimulatorConfig sim =
        SimulatorConfig.defaults()
            .withTaskNotExistWindow(Duration.ofMillis(Math.round(2000 * scale)));
    try (DevStack stack =
        ctx.stack(DevStackConfig.defaults().withTimeScale(scale).withSimulator(sim))) {
      WorkerSettings settings =
          BenchContext.workerSettings(stack, "bench-calls", tiers)
              .with("poll.learned.prior", scaledPrior(scale))
              .with("poll.learned.max-wait", Math.round(900_000 * scale) + "ms")
              .with("provider.submits-per-second", "400")
              .with("provider.polls-per-second", "2000");
      String bootstrap = stack.kafka().bootstrapServers();
      String registry = stack.registryUrl().orElseThrow();
      SimulatorControl control = stack.simulator().control();
      List<Map<String, Object>> modes = new ArrayList<>();
      try (Commands commands = new Commands(bootstrap, registry);
          EventCollector events = new EventCollector(bootstrap, registry)) {
        RenderRelayWorker worker = RenderRelayWorker.start(settings.config(), Clock.systemUTC());
        try {
          for (double lose : new double[] {0.0, 1.0}) {
            control.faults().loseCallbacks(lose);
            control.reset();
            ctx.note("provider-calls: %d jobs, callbacks lost with probability %.0f", jobs, lose);
            JobLoad load =
                JobLoad.of(lose == 0 ? "calls-cb" : "calls-lost", jobs).publish(commands);
            Duration took = load.awaitAll(events, timeout, Duration.ofMillis(250));
            long ended = events.terminalCount(load.jobIds());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("loseCallbacks", lose);
            m.put("jobs", jobs);
            m.put("ended", ended);
            m.put("completed", load.completed(events));
            m.put("seconds", BenchContext.seconds(took));
            m.put("submits", control.submits());
            m.put("polls", control.polls());
            m.put("pollAnswers", control.pollAnswers());
            m.put("callbacksSent", control.callbacksSent());
            m.put(
                "requestsPerJob",
                (control.submits() + control.polls()) / (double) Math.max(1, ended));
            m.put("answers", control.requestsByEndpointAndStatus());
            modes.add(m);
          }
        } finally {
          control.faults().clear();
          worker.close();
        }
      }
      double withCb = (double) modes.get(0).get("requestsPerJob");
      double lost = (double) modes.get(1).get("requestsPerJob");
      Plots.bars(
          ctx.file("provider-calls.png"),
          "Provider requests per completed job (time scale " + scale + ")",
          "requests per job",
          List.of(
              new Plots.Bar("ideal (submit + poll)", Plots.GREY, 2),
              new Plots.Bar("callbacks delivered", Plots.BLUE, withCb),
              new Plots.Bar("callbacks lost", Plots.ORANGE, lost)));
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("jobsPerMode", jobs);
      params.put("timeScale", scale);
      params.put("pollTiers", tiers + " (the defaults 10s:6,30s:20,120s:0 x time scale)");
      params.put("renderTimes", "lognormal planning figures x time scale");
      params.put("renderTimePrior", scaledPrior(scale) + " (the planning figures x time scale)");
      params.put("taskNotExistWindow", Math.round(2000 * scale) + "ms (2 s x time scale)");
      params.put("ratioDefinition", "(submits + polls) per ended job / 2 (one submit + one poll)");
      Map<String, Object> cbDetails = new LinkedHashMap<>(modes.get(0));
      Map<String, Object> lostDetails = new LinkedHashMap<>(modes.get(1));
      BenchResult.Reference ideal =
          new BenchResult.Reference("ideal: one submit + one poll", 2, "requests/job");
      return List.of(
          new BenchResult(
              "provider-calls-callbacks",
              withCb,
              "requests/job",
              ideal,
              withCb / 2,
              "ratio <= " + CALLBACKS_TARGET,
              withCb / 2 <= CALLBACKS_TARGET,
              params,
              cbDetails),
          new BenchResult(
              "provider-calls-lost-callbacks",
              lost,
              "requests/job",
              ideal,
              lost / 2,
              "ratio <= " + LOST_CALLBACKS_TARGET,
              lost / 2 <= LOST_CALLBACKS_TARGET,
              params,
              lostDetails));
    }
  }

  /** Issue 15's targets: requests per job over the ideal two, with and without callbacks. */
  static final double CALLBACKS_TARGET = 1.1;

  static final double LOST_CALLBACKS_TARGET = 2.0;

  /** The provider's planning figures (median, p95 per type) multiplied by {@code scale}. */
  static String scaledPrior(double scale) {
    return "restyle:%dms:%dms,act-one:%dms:%dms"
        .formatted(
            Math.round(150_000 * scale),
            Math.round(480_000 * scale),
            Math.round(180_000 * scale),
            Math.round(720_000 * scale));
  }

  /** The default tiers with their delays multiplied by {@code scale}. */
  static String scaledTiers(double scale) {
    List<String> out = new ArrayList<>();
    for (long[] t : DEFAULT_TIERS) {
      long ms = Math.max(10, Math.round(t[0] * scale));
      out.add("render.poll." + ms + "ms:" + ms + "ms:" + t[1]);
    }
    return String.join(",", out);
  }
}
