package io.renderrelay.devstack.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A lognormal render-time distribution fitted to a median and a 95th percentile: {@code mu =
 * ln(median)}, {@code sigma = (ln(p95) - mu) / z(0.95)}.
 */
public record RenderTimeDistribution(Duration median, Duration p95) {
  /** The standard normal quantile of 0.95. */
  static final double Z95 = 1.6448536269514722;

  public RenderTimeDistribution {
    Objects.requireNonNull(median, "median");
    Objects.requireNonNull(p95, "p95");
    if (median.isNegative() || median.isZero()) {
      throw new IllegalArgumentException("render time median must be positive, got " + median);
    }
    if (p95.compareTo(median) < 0) {
      throw new IllegalArgumentException(
          "render time p95 (" + p95 + ") must not be below the median (" + median + ")");
    }
  }

  /** Planning figure for restyle: median 150 s, p95 480 s. */
  public static RenderTimeDistribution restyleDefault() {
    return new RenderTimeDistribution(Duration.ofSeconds(150), Duration.ofSeconds(480));
  }

  /** Planning figure for act-one: median 180 s, p95 720 s. */
  public static RenderTimeDistribution actOneDefault() {
    return new RenderTimeDistribution(Duration.ofSeconds(180), Duration.ofSeconds(720));
  }

  double mu() {
    return Math.log(seconds(median));
  }

  double sigma() {
    return (Math.log(seconds(p95)) - mu()) / Z95;
  }

  /** One sample, drawn from {@code random}. */
  public Duration sample(RandomGenerator random) {
    double secs = Math.exp(mu() + sigma() * random.nextGaussian());
    return Duration.ofNanos(Math.round(secs * 1e9));
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
