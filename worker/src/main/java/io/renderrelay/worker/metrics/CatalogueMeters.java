package io.renderrelay.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of {@link MetricsCatalogue} entries in one registry: checks each tag value against the
 * catalogue (or the configured tiers) under an {@link Metrics.UnknownTagPolicy}, builds the meter
 * and registers every catalogue series up front.
 */
final class CatalogueMeters {
  private final MeterRegistry registry;
  private final Set<String> tiers;
  private final Metrics.UnknownTagPolicy policy;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  CatalogueMeters(
      MeterRegistry registry, Collection<String> tiers, Metrics.UnknownTagPolicy policy) {
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one tier name is needed for the tier tag");
    }
    this.registry = registry;
    this.tiers = Set.copyOf(new LinkedHashSet<>(tiers));
    this.policy = policy;
  }

  /** The allowed values of a tag in this instance. */
  Set<String> allowedValues(MetricTag tag) {
    return tag.configured() ? tiers : tag.fixedValues();
  }

  String value(MetricTag tag, String raw) {
    if (raw != null && allowedValues(tag).contains(raw)) {
      return raw;
    }
    if (policy == Metrics.UnknownTagPolicy.REJECT) {
      throw new IllegalArgumentException(
          "tag "
              + tag.key()
              + "='"
              + raw
              + "' is not in the catalogue; allowed: "
              + allowedValues(tag));
    }
    return MetricTag.OTHER;
  }

  Tags tags(MetricsCatalogue metric, String... values) {
    List<MetricTag> keys = metric.tags();
    if (values.length != keys.size()) {
      throw new IllegalArgumentException(
          metric.prometheusName() + " takes tags " + keys + ", got " + values.length + " values");
    }
    Tags tags = Tags.empty();
    for (int i = 0; i < values.length; i++) {
      tags = tags.and(keys.get(i).key(), value(keys.get(i), values[i]));
    }
    return tags;
  }

  Counter counter(MetricsCatalogue m, String... values) {
    return Counter.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .register(registry);
  }

  Timer timer(MetricsCatalogue m, String... values) {
    return Timer.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .serviceLevelObjectives(SloBuckets.timer(m).toArray(Duration[]::new))
        .register(registry);
  }

  DistributionSummary summary(MetricsCatalogue m, String... values) {
    return DistributionSummary.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .serviceLevelObjectives(
            SloBuckets.summary(m).stream().mapToDouble(Double::doubleValue).toArray())
        .register(registry);
  }

  AtomicLong gauge(MetricsCatalogue m, String... values) {
    Tags tags = tags(m, values);
    String id = m.meterName() + tags;
    return gauges.computeIfAbsent(
        id,
        k -> {
          AtomicLong holder = new AtomicLong();
          Gauge.builder(m.meterName(), holder, AtomicLong::get)
              .description(m.description())
              .tags(tags)
              .strongReference(true)
              .register(registry);
          return holder;
        });
  }

  void registerAll() {
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      if (m.boundByBinder()) {
        continue;
      }
      for (List<String> combo : combinations(m.tags())) {
        String[] values = combo.toArray(String[]::new);
        switch (m.type()) {
          case COUNTER -> counter(m, values);
          case TIMER -> timer(m, values);
          case DISTRIBUTION_SUMMARY -> summary(m, values);
          case GAUGE -> gauge(m, values);
        }
      }
    }
    gauge(MetricsCatalogue.SUBMISSION_GATE, "open").set(1);
  }

  private List<List<String>> combinations(List<MetricTag> keys) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (MetricTag key : keys) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (String v : allowedValues(key).stream().sorted().toList()) {
          List<String> combo = new ArrayList<>(prefix);
          combo.add(v);
          next.add(combo);
        }
      }
      out = next;
    }
    return out;
  }
}
