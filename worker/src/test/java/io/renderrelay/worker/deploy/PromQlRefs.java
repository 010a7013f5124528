package io.renderrelay.worker.deploy;

import io.renderrelay.worker.metrics.LibraryMetrics;
import io.renderrelay.worker.metrics.MetricTag;
import io.renderrelay.worker.metrics.MetricType;
import io.renderrelay.worker.metrics.MetricsCatalogue;
import io.renderrelay.worker.metrics.SloBuckets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the render-relay series a PromQL expression uses against {@link MetricsCatalogue}: each
 * series name must be published (timers and distribution summaries as _count, _sum and _max, and as
 * _bucket with its le label only when {@link SloBuckets} gives them buckets), each label matcher
 * must name a tag of that metric with a value from its bounded set, and each {@code by}/{@code
 * without} label must be a tag of a metric in the expression.
 */
final class PromQlRefs {
  /** Labels Prometheus adds at scrape time. */
  static final Set<String> TARGET_LABELS = Set.of("instance", "job", "namespace", "pod");

  private static final Pattern SERIES =
      Pattern.compile("\\b(render_relay_[a-z0-9_]+)\\b(\\s*\\{([^}]*)})?");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern PLAIN_ALTERNATIVES = Pattern.compile("[a-z0-9_.]+(\\|[a-z0-9_.]+)*");
  private static final List<String> SUMMARY_SUFFIXES = List.of("_count", "_sum", "_max");

  private static final String BUCKET = "_bucket";
  private static final String LE = "le";

  private PromQlRefs() {}

  private static boolean hasBuckets(MetricsCatalogue m) {
    return !SloBuckets.timer(m).isEmpty() || !SloBuckets.summary(m).isEmpty();
  }

  /** The catalogue entry a published series name belongs to. */
  static Optional<MetricsCatalogue> resolve(String series) {
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      boolean summary = m.type() == MetricType.TIMER || m.type() == MetricType.DISTRIBUTION_SUMMARY;
      if (!summary && series.equals(m.prometheusName())) {
        return Optional.of(m);
      }
      if (summary
          && SUMMARY_SUFFIXES.stream().anyMatch(s -> series.equals(m.prometheusName() + s))) {
        return Optional.of(m);
      }
      if (summary && hasBuckets(m) && series.equals(m.prometheusName() + BUCKET)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** The render-relay series names an expression uses. */
  static Set<String> seriesNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = SERIES.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Problems of one expression; empty when every reference is valid. */
  static List<String> problems(String expr) {
    List<String> problems = new ArrayList<>();
    Set<String> tagsInExpr = new LinkedHashSet<>(TARGET_LABELS);
    Matcher series = SERIES.matcher(expr);
    while (series.find()) {
      String name = series.group(1);
      Optional<MetricsCatalogue> metric = resolve(name);
      if (metric.isEmpty()) {
        problems.add(
            "unknown series " + name + " (not in docs/metrics.md, or a suffix not exposed)");
        continue;
      }
      metric.get().tags().forEach(t -> tagsInExpr.add(t.key()));
      if (name.endsWith(BUCKET)) {
        tagsInExpr.add(LE);
      }
      if (series.group(3) != null) {
        checkMatchers(name, metric.get(), series.group(3), problems);
      }
    }
    Matcher grouping = GROUPING.matcher(expr);
    // a Micrometer binder family (jvm_, process_, kafka_): its labels are Micrometer's, not ours
    boolean library =
        java.util.Arrays.stream(LibraryMetrics.values()).anyMatch(l -> expr.contains(l.prefix()));
    while (!library && grouping.find()) {
      for (String label : grouping.group(2).split(",")) {
        String l = label.strip();
        if (!l.isEmpty() && !tagsInExpr.contains(l)) {
          problems.add(
              grouping.group(1) + " (" + l + "): no metric in the expression has that tag");
        }
      }
    }
    return problems;
  }

  private static void checkMatchers(
      String name, MetricsCatalogue metric, String matchers, List<String> problems) {
    Matcher m = MATCHER.matcher(matchers);
    while (m.find()) {
      String label = m.group(1);
      String op = m.group(2);
      String value = m.group(3);
      if (TARGET_LABELS.contains(label) || (LE.equals(label) && name.endsWith(BUCKET))) {
        continue;
      }
      Optional<MetricTag> tag =
          metric.tags().stream().filter(t -> t.key().equals(label)).findFirst();
      if (tag.isEmpty()) {
        problems.add(name + " has no tag '" + label + "'");
        continue;
      }
      if (tag.get().configured() || value.contains("$")) {
        continue;
      }
      boolean regex = op.contains("~");
      if (regex && !PLAIN_ALTERNATIVES.matcher(value).matches()) {
        continue; // a real regular expression: nothing to check value by value
      }
      for (String v : regex ? value.split("\\|") : new String[] {value}) {
        if (!tag.get().fixedValues().contains(v)) {
          problems.add(
              name
                  + "{"
                  + label
                  + op
                  + "\""
                  + value
                  + "\"}: '"
                  + v
                  + "' is not one of "
                  + tag.get().fixedValues());
        }
      }
    }
  }
}
