package io.renderrelay.worker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.dlt.DeadLetterReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * The worker's metrics facade over a Prometheus registry. Every method maps to one {@link
 * MetricsCatalogue} entry and accepts only the catalogue's tag values: an unknown value throws
 * ({@link UnknownTagPolicy#REJECT}, for tests) or becomes {@code other} ({@link
 * UnknownTagPolicy#MAP_TO_OTHER}, for production), so tag cardinality is bounded by construction.
 * Every catalogue series is registered up front, so each appears in {@link #scrape()} from the
 * start.
 */
public final class Metrics {

  /** What to do with a tag value outside the catalogue. */
  public enum UnknownTagPolicy {
    /** Throw IllegalArgumentException (tests). */
    REJECT,
    /** Record it as "other" (production). */
    MAP_TO_OTHER
  }

  /** The Prometheus text exposition content type. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final Set<String> tiers;
  private final UnknownTagPolicy policy;
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();

  /** A facade over the given registry; {@code tiers} bounds the tier tag. */
  public Metrics(
      PrometheusMeterRegistry registry, Collection<String> tiers, UnknownTagPolicy policy) {
    this.registry = registry;
    registry.config().meterFilter(LibraryBinders.boundedTags()); // issue 17, before any meter
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one tier name is needed for the tier tag");
    }
    this.tiers = Set.copyOf(new LinkedHashSet<>(tiers));
    this.policy = policy;
    registerAll();
  }

  /** A facade over a new Prometheus registry. */
  public static Metrics create(Collection<String> tiers, UnknownTagPolicy policy) {
    return new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), tiers, policy);
  }

  /** The tier tag values of a configuration: every poll tier topic and the poll-now topic. */
  public static List<String> tierNames(WorkerConfig config) {
    List<String> names = new ArrayList<>();
    config.kafka().pollTiers().forEach(t -> names.add(t.topic()));
    names.add(config.kafka().topics().pollNow());
    return names;
  }

  /** The underlying registry (e.g. for JVM or Kafka client binders). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  /** A job left {@code stage} with {@code outcome}. */
  public void jobTransition(JobType type, String stage, String outcome) {
    counter(MetricsCatalogue.JOBS, jobType(type), stage, outcome).increment();
  }

  /** One provider call ended with answer class {@code answerClass} after {@code latency}. */
  public void providerCall(String endpoint, String answerClass, Duration latency) {
    timer(MetricsCatalogue.PROVIDER_REQUESTS, endpoint, answerClass).record(positive(latency));
  }

  /** A caller waited {@code waited} for a permit of {@code limiter}. */
  public void rateLimiterWait(String limiter, Duration waited) {
    timer(MetricsCatalogue.RATE_LIMITER_WAIT, limiter).record(positive(waited));
  }

  /** Sets the number of jobs in flight in a tier. */
  public void jobsInFlight(String tier, long count) {
    gauge(MetricsCatalogue.JOBS_IN_FLIGHT, tier).set(count);
  }

  /** A poll ran {@code lateness} after its due time (negative: early, recorded as 0). */
  public void pollLateness(String tier, Duration lateness) {
    timer(MetricsCatalogue.POLL_LATENESS, tier).record(positive(lateness));
  }

  /** One output was copied: {@code bytes} in {@code took}. */
  public void outputCopied(JobType type, String artifact, long bytes, Duration took) {
    counter(MetricsCatalogue.COPY_BYTES, jobType(type), artifact).increment(Math.max(0, bytes));
    timer(MetricsCatalogue.COPY_DURATION, artifact).record(positive(took));
    double seconds = Math.max(took.toNanos(), 1_000_000L) / 1e9;
    summary(MetricsCatalogue.COPY_THROUGHPUT, artifact).record(Math.max(0, bytes) / seconds);
  }

  /** A record was written to the DLT with this {@code rr.dlt.reason}. */
  public void deadLettered(DeadLetterReason reason) {
    counter(MetricsCatalogue.DEAD_LETTERS, reason.name().toLowerCase(Locale.ROOT)).increment();
  }

  /** Sets the summed consumer lag of an input. */
  public void consumerLag(String input, long lag) {
    gauge(MetricsCatalogue.CONSUMER_LAG, input).set(lag);
  }

  /** The provider answered with a status the worker does not know. */
  public void unknownProviderStatus(JobType type) {
    counter(MetricsCatalogue.UNKNOWN_PROVIDER_STATUS, jobType(type)).increment();
  }

  /** The estimated broker clock minus this worker's, and its uncertainty. */
  public void clockOffset(java.time.Duration offset, java.time.Duration uncertainty) {
    gauge(MetricsCatalogue.CLOCK_OFFSET).set(offset.toMillis());
    gauge(MetricsCatalogue.CLOCK_OFFSET_UNCERTAINTY).set(uncertainty.toMillis());
  }

  /** The last check of {@code dependency} passed ({@code up}) or failed. */
  public void dependency(String dependency, boolean up) {
    gauge(MetricsCatalogue.DEPENDENCY_UP, dependency).set(up ? 1 : 0);
  }

  /** The submission gate is now in {@code state}; the other states go to 0. */
  public void submissionGate(String state) {
    String current = value(MetricTag.GATE_STATE, state);
    for (String s : MetricTag.GATE_STATE.fixedValues()) {
      gauge(MetricsCatalogue.SUBMISSION_GATE, s).set(s.equals(current) ? 1 : 0);
    }
  }

  /** A command with a known jobId was reannounced or dropped. */
  public void duplicateCommand(JobType type, String action) {
    counter(MetricsCatalogue.DUPLICATE_COMMANDS, jobType(type), action).increment();
  }

  /** A job was found ambiguous and handled by {@code policy}. */
  public void ambiguousJob(JobType type, String policy) {
    counter(MetricsCatalogue.AMBIGUOUS_JOBS, jobType(type), policy).increment();
  }

  /** A callback request ended with {@code result}. */
  public void callback(String result) {
    counter(MetricsCatalogue.CALLBACKS, result).increment();
  }

  /** A Kafka transaction was committed. */
  public void transactionCommitted() {
    counter(MetricsCatalogue.TRANSACTIONS, "committed").increment();
  }

  /** A Kafka transaction was aborted. */
  public void transactionAborted() {
    counter(MetricsCatalogue.TRANSACTIONS, "aborted").increment();
  }

  /** An error from {@code component} was classified as {@code errorClass}. */
  public void error(String component, String errorClass) {
    counter(MetricsCatalogue.ERRORS, component, errorClass).increment();
  }

  /** A pre-flight check of a job's inputs ended with {@code result}; {@code rule} if refused. */
  public void preflightCheck(JobType type, String result, String rule) {
    counter(MetricsCatalogue.PREFLIGHT_CHECKS, jobType(type), result, rule).increment();
  }

  // ---- issue 17: latency histograms and binder-fed meters

  /**
   * A job reached its terminal event ({@code terminal}: completed or failed) {@code sinceIntake}
   * after the worker first saw it and {@code sinceRequested} after the command's requestedAt.
   */
  public void jobEnded(
      JobType type, String terminal, Duration sinceIntake, Duration sinceRequested) {
    timer(MetricsCatalogue.JOB_DURATION, jobType(type), terminal).record(positive(sinceIntake));
    timer(MetricsCatalogue.END_TO_END, jobType(type), terminal).record(positive(sinceRequested));
  }

  /** The provider reports it rendered a task in {@code took}. */
  public void providerRender(JobType type, Duration took) {
    timer(MetricsCatalogue.PROVIDER_RENDER, jobType(type)).record(positive(took));
  }

  /** Sets what an HTTP client's connection pool reported ({@code state}: max, leased, ...). */
  public void httpClientPool(String pool, String state, long connections) {
    gauge(MetricsCatalogue.HTTP_CLIENT_POOL, pool, state).set(connections);
  }

  /** Sets the number of ledger partitions assigned here and not yet restored. */
  public void ledgerPartitionsRestoring(long partitions) {
    gauge(MetricsCatalogue.LEDGER_PARTITIONS_RESTORING).set(partitions);
  }

  /** A restore that began {@code from} its checkpoint or the beginning read {@code records}. */
  public void ledgerRecordsRestored(String from, long records) {
    counter(MetricsCatalogue.LEDGER_RESTORED_RECORDS, from).increment(Math.max(0, records));
  }

  /** A partition's restore that began {@code from} there caught up after {@code took}. */
  public void ledgerPartitionRestored(String from, Duration took) {
    timer(MetricsCatalogue.LEDGER_RESTORE_DURATION, from).record(positive(took));
  }

  /** Binds a function counter of a {@link MetricsCatalogue#boundByBinder()} metric. */
  public <T> void bindCounter(
      MetricsCatalogue m, String tagValue, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(m.meterName(), source, value)
        .description(m.description())
        .tags(tags(m, tagValue))
        .register(registry);
  }

  /** Binds a gauge of a {@link MetricsCatalogue#boundByBinder()} metric. */
  public <T> void bindGauge(
      MetricsCatalogue m, String tagValue, T source, ToDoubleFunction<T> value) {
    Gauge.builder(m.meterName(), source, value)
        .description(m.description())
        .tags(tags(m, tagValue))
        .register(registry);
  }

  // ---- internals

  private static String jobType(JobType type) {
    return type == null ? "null" : type.name().toLowerCase(Locale.ROOT);
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** The allowed values of a tag in this instance. */
  public Set<String> allowedValues(MetricTag tag) {
    return tag.configured() ? tiers : tag.fixedValues();
  }

  private String value(MetricTag tag, String raw) {
    if (raw != null && allowedValues(tag).contains(raw)) {
      return raw;
    }
    if (policy == UnknownTagPolicy.REJECT) {
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

  private Tags tags(MetricsCatalogue metric, String... values) {
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

  private Counter counter(MetricsCatalogue m, String... values) {
    return Counter.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .register(registry);
  }

  private Timer timer(MetricsCatalogue m, String... values) {
    return Timer.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .serviceLevelObjectives(SloBuckets.timer(m).toArray(Duration[]::new))
        .register(registry);
  }

  private DistributionSummary summary(MetricsCatalogue m, String... values) {
    return DistributionSummary.builder(m.meterName())
        .description(m.description())
        .tags(tags(m, values))
        .serviceLevelObjectives(
            SloBuckets.summary(m).stream().mapToDouble(Double::doubleValue).toArray())
        .register(registry);
  }

  private AtomicLong gauge(MetricsCatalogue m, String... values) {
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

  private void registerAll() {
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
