package io.renderrelay.worker.provider;

import io.renderrelay.worker.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The provider state shared by the whole process: one submit limiter, one poll limiter, the
 * submission gate, the metrics sink, the clock and the sleeper. Built once in the composition root
 * and handed to every {@link HttpProviderClient}.
 */
public record ProviderRuntime(
    RateLimiter submitLimiter,
    RateLimiter pollLimiter,
    SubmissionGate gate,
    ProviderMetrics metrics,
    Clock clock,
    Sleeper sleeper) {

  public ProviderRuntime {
    Objects.requireNonNull(submitLimiter, "submitLimiter");
    Objects.requireNonNull(pollLimiter, "pollLimiter");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }

  /**
   * The usual wiring: limiters at the given rates with a burst of about one second's worth, and a
   * gate that lets one probe submit through every {@code probeInterval} while closed.
   */
  public static ProviderRuntime create(
      double submitsPerSecond,
      double pollsPerSecond,
      Duration probeInterval,
      ProviderMetrics metrics,
      Clock clock,
      Sleeper sleeper) {
    return new ProviderRuntime(
        new RateLimiter(
            "submit", submitsPerSecond, burst(submitsPerSecond), clock, sleeper, metrics),
        new RateLimiter("poll", pollsPerSecond, burst(pollsPerSecond), clock, sleeper, metrics),
        new SubmissionGate(clock, probeInterval),
        metrics,
        clock,
        sleeper);
  }

  private static int burst(double perSecond) {
    return (int) Math.max(1, Math.ceil(perSecond));
  }
}
