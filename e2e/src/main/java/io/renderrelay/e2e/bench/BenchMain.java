package io.renderrelay.e2e.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench}: runs the benchmarks against the embedded stack, prints one line per figure
 * ({@code bench: <name> <figure> <unit> ratio=<x>}) and writes {@code results.json} and the plots;
 * a full run also rewrites the figures of {@code docs/benchmarks.md}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "render-relay benchmarks against the embedded stack (docs/benchmarks.md).")
public final class BenchMain implements Callable<Integer> {

  @Option(names = "--quick", description = "Smaller loads; the whole run takes under 5 minutes.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      description =
          "Run only these (comma-separated): startup, throughput, copy, poll-lateness,"
              + " in-flight, provider-calls, restore.")
  List<String> only = new ArrayList<>();

  @Option(
      names = "--out",
      defaultValue = "target/bench",
      description = "Results, plots, logs (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--docs-dir",
      defaultValue = "docs",
      description = "Where benchmarks.md lives (default: ${DEFAULT-VALUE}).")
  Path docsDir;

  @Option(
      names = "--docs",
      negatable = true,
      description =
          "Rewrite docs/benchmarks.md and docs/bench/*.png (default: on for a full run of every"
              + " benchmark, off otherwise).")
  Boolean docs;

  private final PrintStream stdout;
  private final PrintStream stderr;

  BenchMain(PrintStream stdout, PrintStream stderr) {
    this.stdout = stdout;
    this.stderr = stderr;
  }

  public static void main(String[] args) {
    // the in-process workers (throughput, provider-calls, poll-lateness) run with the JVM defaults
    // the worker's main sets; the bare relay's provider client shares them
    io.renderrelay.worker.app.HttpClientDefaults.apply(System.getProperties());
    System.setProperty("java.awt.headless", "true");
    // A bench stopped half-way (Ctrl-C) must not leave its worker JVMs behind.
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy)));
    System.exit(new CommandLine(new BenchMain(System.out, System.err)).execute(args));
  }

  /** Every benchmark, in run order. */
  static List<Benchmark> all() {
    return List.of(
        new StartupBench(),
        new ThroughputBench(),
        new CopyBench(),
        new PollLatenessBench(),
        new InFlightBench(),
        new ProviderCallsBench(),
        new RestoreBench());
  }

  @Override
  public Integer call() throws Exception {
    List<Benchmark> selected = select();
    Instant started = Instant.now();
    BenchContext ctx = new BenchContext(quick, out, stderr, Clock.systemUTC());
    ResultsWriter writer = new ResultsWriter(out.resolve("results.json"));
    List<BenchResult> results = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Benchmark b : selected) {
      long t0 = System.nanoTime();
      ctx.note("=== %s (%s)", b.name(), quick ? "quick" : "full");
      try {
        for (BenchResult r : b.run(ctx)) {
          results.add(r);
          stdout.println(r.line());
          stdout.flush();
        }
      } catch (Exception | Error e) {
        failures.add(b.name() + ": " + e);
        stdout.println("bench: " + b.name() + " FAILED " + e);
        e.printStackTrace(stderr);
      }
      ctx.note("=== %s took %d s", b.name(), (System.nanoTime() - t0) / 1_000_000_000L);
      writer.write(quick, started, results, failures);
    }
    boolean writeDocs = docs != null ? docs : !quick && only.isEmpty();
    if (writeDocs) {
      new DocsWriter(docsDir).update(out, quick, started, results, failures);
      ctx.note("docs updated: %s", docsDir.resolve("benchmarks.md"));
    }
    ctx.note("results: %s", out.resolve("results.json"));
    return failures.isEmpty() ? 0 : 1;
  }

  private List<Benchmark> select() {
    if (only.isEmpty()) {
      return all();
    }
    Set<String> names = new LinkedHashSet<>(only);
    List<Benchmark> out = new ArrayList<>();
    for (Benchmark b : all()) {
      if (names.remove(b.name())) {
        out.add(b);
      }
    }
    if (!names.isEmpty()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "unknown benchmark(s) "
              + names
              + "; known: "
              + all().stream().map(Benchmark::name).toList());
    }
    return out;
  }
}
