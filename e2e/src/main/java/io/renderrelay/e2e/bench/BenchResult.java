package io.renderrelay.e2e.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One benchmark figure, with the reference it is compared to (measured in the same run on the same
 * machine) and the ratio of the two. Written to {@code results.json} with the JDK and the cores of
 * the machine that measured it.
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
    Map<String, Object> details) {

  public BenchResult {
    parameters = new LinkedHashMap<>(parameters);
    details = new LinkedHashMap<>(details);
  }

  /** The reference measurement. */
  public record Reference(String name, double figure, String unit) {}

  /** The line {@code bench: <name> <figure> <unit> ratio=<x>}. */
  public String line() {
    return "bench: " + name + " " + format(figure) + " " + unit + " ratio=" + format(ratio);
  }

  /** The JDK that ran the bench; written with each result. */
  @JsonProperty
  public String jdk() {
    return Host.jdk();
  }

  /** Available processors; written with each result. */
  @JsonProperty
  public int cores() {
    return Host.cores();
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
