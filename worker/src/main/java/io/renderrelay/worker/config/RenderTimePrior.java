package io.renderrelay.worker.config;

import io.renderrelay.avro.JobType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What render times a job type is expected to have before the worker observed any (the value of
 * {@code poll.learned.prior}): a lognormal distribution given by its median and its 95th percentile
 * (the provider's planning figures). The poll plan turns it into quantiles.
 *
 * @param median half the renders take at most this long
 * @param p95 95 % of the renders take at most this long (not below the median)
 */
public record RenderTimePrior(Duration median, Duration p95) {

  public RenderTimePrior {
    if (median.isNegative() || median.isZero() || p95.compareTo(median) < 0) {
      throw new IllegalArgumentException(
          "a render-time prior needs 0 < median <= p95, got " + median + " and " + p95);
    }
  }

  /**
   * Parses {@code type:median:p95} entries separated by commas, e.g. {@code
   * restyle:150s:480s,act-one:180s:720s} (type names as in the command topics; empty: no prior).
   */
  public static Map<JobType, RenderTimePrior> parse(String spec) {
    Map<JobType, RenderTimePrior> out = new EnumMap<>(JobType.class);
    if (spec == null || spec.isBlank()) {
      return out;
    }
    for (String entry : spec.split(",")) {
      String[] parts = entry.trim().split(":");
      if (parts.length != 3) {
        throw new IllegalArgumentException(
            "render-time prior entry '" + entry.trim() + "' is not type:median:p95");
      }
      JobType type = typeOf(parts[0].trim());
      if (out.put(type, new RenderTimePrior(Durations.parse(parts[1]), Durations.parse(parts[2])))
          != null) {
        throw new IllegalArgumentException("render-time prior names '" + parts[0] + "' twice");
      }
    }
    return out;
  }

  private static JobType typeOf(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "restyle" -> JobType.RESTYLE;
      case "act-one", "act_one" -> JobType.ACT_ONE;
      default ->
          throw new IllegalArgumentException(
              "render-time prior names an unknown job type '" + name + "' (restyle, act-one)");
    };
  }
}
