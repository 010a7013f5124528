package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.e2e.WorkerProcess;
import io.renderrelay.e2e.WorkerSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seconds from process start to READY: the worker ({@link WorkerProcess}, against a running stack)
 * and the embedded stack ({@code DevStackMain}, as {@code scripts/devstack} and {@code
 * scripts/demo} start it, build excluded). Reference: a bare JVM on the same classpath.
 */
public final class StartupBench implements Benchmark {

  static final String HEAP = "256m";

  @Override
  public String name() {
    return "startup";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    double baseline = baseline(ctx);
    ChildJvm.Outcome stackRun =
        ChildJvm.runUntil(
            ChildJvm.command(
                List.of("-Xmx512m"), "io.renderrelay.devstack.DevStackMain", List.of()),
            Map.of(),
            ctx.file("logs/startup-devstack.log"),
            Duration.ofMinutes(3),
            l -> l.startsWith("READY kafka="),
            true);
    stackRun.line("READY kafka=");
    double stackSeconds = BenchContext.seconds(stackRun.took());
    ctx.note("startup: stack READY after %.2f s", stackSeconds);
    double workerSeconds;
    try (DevStack stack = ctx.stack(DevStackConfig.defaults())) {
      WorkerSettings settings = new WorkerSettings(stack, "bench-startup");
      long t0 = System.nanoTime();
      try (WorkerProcess worker =
          WorkerProcess.start(
              settings.asEnvironment(), ctx.file("logs/startup-worker.log"), HEAP)) {
        worker.awaitReady(Duration.ofMinutes(2));
        workerSeconds = (System.nanoTime() - t0) / 1e9;
        worker.terminate(Duration.ofSeconds(30));
      }
    }
    ctx.note("startup: worker READY after %.2f s", workerSeconds);
    BenchResult.Reference ref =
        new BenchResult.Reference("bare JVM, same classpath, to main()", baseline, "s");
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("ratioDefinition", "seconds to READY / seconds for a bare JVM to print from main()");
    Map<String, Object> workerParams = new LinkedHashMap<>(params);
    workerParams.put("heap", "-Xmx" + HEAP + " -XX:+UseSerialGC");
    workerParams.put("measured", "process start to the 'READY worker' line, stack already running");
    Map<String, Object> stackParams = new LinkedHashMap<>(params);
    stackParams.put("heap", "-Xmx512m");
    stackParams.put(
        "measured", "DevStackMain process start to its 'READY kafka=...' line (build excluded)");
    return List.of(
        new BenchResult(
            "startup-worker",
            workerSeconds,
            "s",
            ref,
            workerSeconds / baseline,
            "report only",
            null,
            workerParams,
            Map.of()),
        new BenchResult(
            "startup-stack",
            stackSeconds,
            "s",
            ref,
            stackSeconds / baseline,
            "report only",
            null,
            stackParams,
            Map.of()));
  }

  private static double baseline(BenchContext ctx) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      ChildJvm.Outcome o =
          ChildJvm.run(
              ChildJvm.command(
                  List.of("-Xmx" + HEAP, "-XX:+UseSerialGC"),
                  JvmBaseline.class.getName(),
                  List.of()),
              Map.of(),
              ctx.file("logs/startup-baseline.log"),
              Duration.ofMinutes(1));
      o.line("READY baseline");
      best = Math.min(best, BenchContext.seconds(o.took()));
    }
    return best;
  }
}
