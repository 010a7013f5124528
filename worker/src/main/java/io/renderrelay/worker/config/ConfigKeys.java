package io.renderrelay.worker.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The catalogue of every configuration key of the worker. Each key is declared exactly once, in the
 * class of its feature ({@link KafkaKeys}, {@link ProviderKeys}, {@link StorageKeys}, {@link
 * JobKeys}, {@link HttpKeys}, {@link TracingKeys}, {@link InstanceKeys}, {@link SpendKeys}); the
 * loader, {@link ConfigDump} and {@link ConfigDocGenerator} enumerate them here, in one order.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Prefix for pass-through Kafka client properties, e.g. kafka.client.security.protocol. */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  /** Docs sections, in order, with their introductions. */
  public static final Map<String, String> GROUPS = groups();

  /** Every key, in docs order within each group. */
  public static final List<ConfigKey<?>> ALL =
      Stream.of(
              KafkaKeys.KEYS,
              ProviderKeys.KEYS,
              StorageKeys.KEYS,
              JobKeys.KEYS,
              HttpKeys.KEYS,
              TracingKeys.KEYS,
              InstanceKeys.KEYS,
              SpendKeys.KEYS)
          .flatMap(List::stream)
          .toList();

  /** Finds a declared key by name. */
  public static Optional<ConfigKey<?>> byName(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  private static Map<String, String> groups() {
    Map<String, String> g = new LinkedHashMap<>();
    g.put(
        "kafka",
        "Kafka connection and processing. Any Kafka client property can be passed with the prefix"
            + " `kafka.client.` (e.g. `kafka.client.security.protocol`, env"
            + " `RENDER_RELAY_KAFKA_CLIENT_SECURITY_PROTOCOL`); properties holding credentials"
            + " (`*password*`, `sasl.jaas.config`, `*secret*`, `*token*`) are secrets. Properties"
            + " the worker manages itself (bootstrap.servers, group.id, transactional.id,"
            + " isolation.level, enable.auto.commit, enable.idempotence, serializers) are"
            + " refused.");
    g.put(
        "topics",
        "Topic names and the fixed-delay poll tiers. All command, poll and ledger"
            + " topics must have the same partition count.");
    g.put("registry", "Schema registry access.");
    g.put("provider", "The render provider (Runway through the CometAPI gateway).");
    g.put("storage", "The S3 target and the rules for downloading provider outputs.");
    g.put("jobs", "Job rules.");
    g.put(
        "preflight",
        "The optional check of a job's input URLs before anything is paid: reachable, content"
            + " type, size, and for act-one the provider's 16:9 rule read from the image header"
            + " and the video's track header. See docs/operations.md, \"Input pre-flight\".");
    g.put(
        "http",
        "The worker's two HTTP listeners: the public one on http.port serves only POST"
            + " /callbacks/{jobId}/{token}; the management one on http.management-port serves"
            + " /health/live, /health/ready and /metrics. Both close slow and surplus"
            + " connections (http.request-timeout, http.max-connections).");
    g.put(
        "tracing",
        "OpenTelemetry traces: W3C traceparent/tracestate/baggage from command headers to events"
            + " and DLT records, traceparent/tracestate (never baggage) to provider calls, trace_id"
            + " and span_id to log lines; OTLP export.");
    g.put("instance", "This replica: its identity, created topics, local ledger, callback secret.");
    g.put(
        "ledger",
        "The job ledger (render.jobs): which schema version it is written with, and how long"
            + " ended jobs are remembered for deduplication.");
    g.put(
        "spend",
        "What paid submits cost and the budget guard (docs/operations.md#spend-and-budgets):"
            + " a price table, the tenant of a job, caps per UTC day or month enforced across"
            + " the fleet through the spend journal, per-tenant in-flight limits.");
    g.put("shutdown", "Shutdown.");
    return Collections.unmodifiableMap(g);
  }
}
