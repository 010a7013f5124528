package io.renderrelay.e2e.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark figure, with the reference it is compared to (measured in the same run on the same
 * machine) and the ratio of the two.
 *
 * @param name benchmark name, e.g. {@code throughput}
 * @param figure the measured value
 * @param unit unit of {@code figure}
 * @param reference what the figure is compared to; null when there is none
 * @param ratio the figure's comparison with the reference (how it is formed is in {@code
 *     parameters.ratioDefinition}); NaN when there is no reference
 * @param target the target the issue sets for the ratio or figure, as text
 * @param targetMet whether the target was met; null when the issue sets none
 * @param parameters how the benchmark was run
 * @param details further measurements (percentiles, heap samples, profile summary)
 * @param jdk the JDK that ran the bench
 * @param cores available processors
 */
public record BenchResult(
    String name,
    double figure,
    String unit,
    Reference reference,
    double ratio,
    String target,
    Boolean targetMet,
    Map<String, Object> parameters,
    Map<String, Object> details,
    String jdk,
    int cores) {

  /** The reference measurement. */
  public record Reference(String name, double figure, String unit) {}

  /** The line {@code bench: <name> <figure> <unit> ratio=<x>}. */
  public String line() {
    return "bench: " + name + " " + format(figure) + " " + unit + " ratio=" + format(ratio);
  }

  /** A result for this JVM and machine. */
  public static BenchResult of(
      String name,
      double figure,
      String unit,
      Reference reference,
      double ratio,
      String target,
      Boolean targetMet,
      Map<String, Object> parameters,
      Map<String, Object> details) {
    return new BenchResult(
        name,
        figure,
        unit,
        reference,
        ratio,
        target,
        targetMet,
        new LinkedHashMap<>(parameters),
        new LinkedHashMap<>(details),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors());
  }

  /** Three significant decimals at most; "n/a" for NaN. */
  public static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (Math.abs(v) >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
