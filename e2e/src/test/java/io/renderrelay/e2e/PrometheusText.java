package io.renderrelay.e2e;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Prometheus text exposition (0.0.4): every sample as name, labels and value. */
record PrometheusText(Map<String, Double> samples) {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+).*$");

  static PrometheusText parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new IllegalArgumentException("not a sample line: " + line);
      }
      out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
    }
    return new PrometheusText(out);
  }

  /** True when some sample's name is {@code name} or starts with {@code name_}. */
  boolean hasFamily(String name) {
    return samples.keySet().stream()
        .map(k -> k.contains("{") ? k.substring(0, k.indexOf('{')) : k)
        .anyMatch(n -> n.equals(name) || n.startsWith(name + "_"));
  }

  /** True when some sample's name starts with {@code prefix}. */
  boolean hasPrefix(String prefix) {
    return samples.keySet().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** The sum over samples named {@code name} whose labels include every given label pair. */
  double sum(String name, String... labelPairs) {
    double total = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String k = e.getKey();
      String n = k.contains("{") ? k.substring(0, k.indexOf('{')) : k;
      if (!n.equals(name)) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i + 1 < labelPairs.length; i += 2) {
        all &= k.contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"");
      }
      if (all) {
        total += e.getValue();
      }
    }
    return total;
  }
}
