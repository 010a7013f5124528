package io.renderrelay.worker.job.schedule;

import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.RenderTimePrior;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The render times this worker observed, per job type: the last {@link #WINDOW} of them (bounded
 * memory), and whether finished renders were announced by a callback. Before {@code minSamples}
 * renders of a type were seen its configured prior (if any) stands in. Thread-safe.
 */
public final class RenderTimes {

  /** Renders kept per job type. */
  static final int WINDOW = 512;

  /** Renders beyond an observed quantile needed for it to stand; else the fitted one is used. */
  static final int TAIL_SUPPORT = 5;

  /** Weight of the newest completion in the callback share (an exponential moving average). */
  private static final double CALLBACK_WEIGHT = 0.1;

  private final int minSamples;
  private final Map<JobType, RenderTimePrior> priors;
  private final Map<JobType, Window> windows = new EnumMap<>(JobType.class);
  // true: the durations come from the fleet's RenderCompleted events ({@link #observeFleet}), and
  // this worker's own polls teach only the callback share (its own jobs' events are read too, so
  // counting its own observation as well would count each of its renders twice)
  private final boolean fleetDurations;
  private double callbackShare = 1.0;

  /**
   * @param minSamples renders of a type needed before its own quantiles are used; 0: never learn
   *     (only the prior, if any)
   */
  public RenderTimes(int minSamples, Map<JobType, RenderTimePrior> priors) {
    this(minSamples, priors, false);
  }

  /**
   * @param fleetDurations the render times come only from {@link #observeFleet} (a {@link
   *     FleetRenderTimes} reader); {@link #observe} then teaches only whether callbacks arrive
   */
  public RenderTimes(int minSamples, Map<JobType, RenderTimePrior> priors, boolean fleetDurations) {
    this.fleetDurations = fleetDurations;
    this.minSamples = minSamples;
    this.priors = Map.copyOf(priors);
    for (JobType t : JobType.values()) {
      windows.put(t, new Window());
    }
  }

  /** Learns nothing and has no prior: the tier schedule alone. */
  public static RenderTimes none() {
    return new RenderTimes(0, Map.of());
  }

  /**
   * A render of {@code type} took about {@code took}; {@code byCallback}: a callback announced it
   * (false: a scheduled poll found it finished).
   */
  public void observe(JobType type, Duration took, boolean byCallback) {
    synchronized (this) {
      callbackShare = (1 - CALLBACK_WEIGHT) * callbackShare + (byCallback ? CALLBACK_WEIGHT : 0);
    }
    if (!fleetDurations) {
      add(type, took);
    }
  }

  /**
   * A render of {@code type} some replica completed took {@code took} (its event's submit to the
   * instant that worker saw it succeed). Teaches the render times only, not the callback share.
   */
  public void observeFleet(JobType type, Duration took) {
    add(type, took);
  }

  /** Renders of {@code type} learned so far (at most {@link #WINDOW}). */
  public int samples(JobType type) {
    return windows.get(type).size();
  }

  private void add(JobType type, Duration took) {
    if (minSamples > 0 && !took.isNegative()) {
      windows.get(type).add(took.toMillis());
    }
  }

  /** True while most finished renders are announced by a callback. */
  synchronized boolean callbacksArriving() {
    return callbackShare >= 0.5;
  }

  /**
   * The {@code p} quantile of the type's render time: observed, else the prior, else empty. An
   * observed quantile with fewer than {@value #TAIL_SUPPORT} renders beyond it (the 99.9th
   * percentile of 512, anything past the 95th of 100) is no estimate at all, just the window's
   * largest value: there it comes from a lognormal fitted to the window's median and to the
   * deviation of the logarithms of the renders above it (the slower half: renders that took no time
   * at all, from a skewed clock or an instant answer, do not widen the tail), and never below the
   * observed value.
   */
  Optional<Duration> quantile(JobType type, double p) {
    Window w = windows.get(type);
    if (minSamples > 0 && w.size() >= minSamples) {
      return Optional.of(Duration.ofMillis(w.quantile(p)));
    }
    return Optional.ofNullable(priors.get(type)).map(prior -> Lognormal.quantile(prior, p));
  }

  /** A ring of the last {@link #WINDOW} render times in milliseconds. */
  private static final class Window {
    private final long[] ring = new long[WINDOW];
    private int count;
    private int next;
    private long[] sorted;
    private double logMedian;
    private double logDeviation;

    synchronized void add(long millis) {
      ring[next] = millis;
      next = (next + 1) % WINDOW;
      count = Math.min(WINDOW, count + 1);
      sorted = null;
    }

    synchronized int size() {
      return count;
    }

    synchronized long quantile(double p) {
      if (sorted == null) {
        sorted = Arrays.copyOf(ring, count);
        Arrays.sort(sorted);
        fitLogs();
      }
      int i = (int) Math.ceil(p * count) - 1;
      long observed = sorted[Math.max(0, Math.min(count - 1, i))];
      if (p <= 0 || p >= 1 || (1 - p) * count >= TAIL_SUPPORT || count < 2) {
        return observed;
      }
      double fitted = Math.exp(logMedian + logDeviation * Lognormal.Normal.inverse(p));
      return Math.max(observed, Math.round(Math.min(fitted, Long.MAX_VALUE / 2.0)));
    }

    /**
     * The logarithm of the window's median, and the deviation from it of the logarithms above it:
     * for a lognormal the slower half deviates as the whole does, and renders below the median
     * (however short) do not count.
     */
    private void fitLogs() {
      int middle = Math.max(0, (int) Math.ceil(0.5 * count) - 1);
      logMedian = Math.log(Math.max(1, sorted[middle]));
      double squares = 0;
      for (int i = middle + 1; i < count; i++) {
        double d = Math.log(Math.max(1, sorted[i])) - logMedian;
        squares += d * d;
      }
      int above = count - middle - 1;
      logDeviation = above == 0 ? 0 : Math.sqrt(squares / above);
    }
  }
}
