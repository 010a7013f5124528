package io.renderrelay.e2e.bench;

import io.renderrelay.worker.engine.PipelineListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the worker's poll lateness per ticket (how long after its due time the engine took it
 * in), through the engine's {@link PipelineListener#pollLateness} hook.
 */
public final class LatenessRecorder implements PipelineListener {

  /** One ticket: its topic and lateness in milliseconds. */
  public record Sample(String topic, long millis) {}

  private final List<Sample> samples = new ArrayList<>();
  private final List<Long> commits = new ArrayList<>();

  /** The loop thread is blocked in each commit: a long one delays every due ticket behind it. */
  @Override
  public synchronized void transactionCommitted(int records, int offsets, Duration took) {
    commits.add(took.toMillis());
  }

  /** Sorted durations of the transactions committed since the last {@link #clear()}, in ms. */
  public synchronized long[] commitMillis() {
    return commits.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  @Override
  public synchronized void pollLateness(String topic, Duration late) {
    samples.add(new Sample(topic, Math.max(0, late.toMillis())));
  }

  /** Sorted lateness values of the topics accepted by {@code topics}. */
  public synchronized long[] sorted(java.util.function.Predicate<String> topics) {
    long[] v =
        samples.stream().filter(s -> topics.test(s.topic())).mapToLong(Sample::millis).toArray();
    Arrays.sort(v);
    return v;
  }

  /** Clears what was recorded so far. */
  public synchronized void clear() {
    samples.clear();
    commits.clear();
  }

  /** The q-quantile (0..1) of sorted values, nearest rank; -1 when empty. */
  public static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
  }

  /** count, p50, p90, p99, p99.9, max in milliseconds. */
  public static Map<String, Object> summary(long[] sorted) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", sorted.length);
    m.put("p50Ms", quantile(sorted, 0.50));
    m.put("p90Ms", quantile(sorted, 0.90));
    m.put("p99Ms", quantile(sorted, 0.99));
    m.put("p999Ms", quantile(sorted, 0.999));
    m.put("maxMs", sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    return m;
  }

  /** Points of the cumulative distribution (at most {@code points}). */
  public static List<double[]> cdf(long[] sorted, int points) {
    List<double[]> out = new ArrayList<>();
    if (sorted.length == 0) {
      return out;
    }
    int step = Math.max(1, sorted.length / points);
    for (int i = 0; i < sorted.length; i += step) {
      out.add(new double[] {sorted[i], (i + 1.0) / sorted.length});
    }
    out.add(new double[] {sorted[sorted.length - 1], 1.0});
    return out;
  }
}
