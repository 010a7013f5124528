package io.renderrelay.e2e.bench;

import java.util.List;

/** One benchmark of {@code scripts/bench}: starts what it needs, measures, stops it again. */
public interface Benchmark {

  /** The name used by {@code --only} and in the results. */
  String name();

  /** Runs the benchmark and returns its figures (one or more). */
  List<BenchResult> run(BenchContext ctx) throws Exception;
}
