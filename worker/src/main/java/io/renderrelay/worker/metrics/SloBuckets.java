package io.renderrelay.worker.metrics;

import java.time.Duration;
import java.util.List;

/**
 * The histogram buckets (Micrometer service-level objectives) of each latency in the catalogue.
 * Explicit, few buckets per series keep the exposition bounded (no percentile histogram with its
 * ~70 default buckets) while matching the objectives the alerts and the dashboard's heatmaps use:
 * provider calls in tens of milliseconds to seconds, renders in minutes (the provider's observed
 * 100 to 360 s, tail to about 12 min), jobs up to the default deadline.
 */
public final class SloBuckets {

  private SloBuckets() {}

  /** The timer buckets of {@code m}; empty for a timer without a histogram. */
  public static List<Duration> timer(MetricsCatalogue m) {
    return switch (m) {
      case PROVIDER_REQUESTS -> ms(25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000);
      case POLL_LATENESS -> s(1, 5, 10, 30, 60, 120, 300, 600);
      case JOB_DURATION, END_TO_END ->
          s(30, 60, 120, 180, 300, 450, 600, 900, 1_200, 1_800, 3_600, 7_200);
      case PROVIDER_RENDER -> s(30, 60, 120, 180, 240, 300, 360, 480, 600, 900);
      case COPY_DURATION -> s(1, 2, 5, 10, 20, 30, 60, 120, 300);
      case LEDGER_RESTORE_DURATION -> s(1, 5, 10, 30, 60, 120, 300);
      default -> List.of();
    };
  }

  /** The distribution summary buckets of {@code m}; empty for a summary without a histogram. */
  public static List<Double> summary(MetricsCatalogue m) {
    return switch (m) {
      // bytes per second: 1 MB/s .. 500 MB/s
      case COPY_THROUGHPUT -> List.of(1e6, 5e6, 10e6, 25e6, 50e6, 100e6, 250e6, 500e6);
      default -> List.of();
    };
  }

  private static List<Duration> ms(long... values) {
    return java.util.Arrays.stream(values).mapToObj(Duration::ofMillis).toList();
  }

  private static List<Duration> s(long... values) {
    return java.util.Arrays.stream(values).mapToObj(Duration::ofSeconds).toList();
  }
}
