package io.renderrelay.worker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.dlt.DeadLetterReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
  private final CatalogueMeters meters;

  /** A facade over the given registry; {@code tiers} bounds the tier tag. */
  public Metrics(
      PrometheusMeterRegistry registry, Collection<String> tiers, UnknownTagPolicy policy) {
    this.registry = registry;
    registry.config().meterFilter(LibraryBinders.boundedTags()); // issue 17, before any meter
    this.meters = new CatalogueMeters(registry, tiers, policy);
    meters.registerAll();
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
    meters.counter(MetricsCatalogue.JOBS, jobType(type), stage, outcome).increment();
  }

  /** One provider call ended with answer class {@code answerClass} after {@code latency}. */
  public void providerCall(String endpoint, String answerClass, Duration latency) {
    meters
        .timer(MetricsCatalogue.PROVIDER_REQUESTS, endpoint, answerClass)
        .record(positive(latency));
  }

  /** A caller waited {@code waited} for a permit of {@code limiter}. */
  public void rateLimiterWait(String limiter, Duration waited) {
    meters.timer(MetricsCatalogue.RATE_LIMITER_WAIT, limiter).record(positive(waited));
  }

  /** Sets the number of jobs in flight in a tier. */
  public void jobsInFlight(String tier, long count) {
    meters.gauge(MetricsCatalogue.JOBS_IN_FLIGHT, tier).set(count);
  }

  /** A poll ran {@code lateness} after its due time (negative: early, recorded as 0). */
  public void pollLateness(String tier, Duration lateness) {
    meters.timer(MetricsCatalogue.POLL_LATENESS, tier).record(positive(lateness));
  }

  /** One output was copied: {@code bytes} in {@code took}. */
  public void outputCopied(JobType type, String artifact, long bytes, Duration took) {
    meters
        .counter(MetricsCatalogue.COPY_BYTES, jobType(type), artifact)
        .increment(Math.max(0, bytes));
    meters.timer(MetricsCatalogue.COPY_DURATION, artifact).record(positive(took));
    double seconds = Math.max(took.toNanos(), 1_000_000L) / 1e9;
    meters.summary(MetricsCatalogue.COPY_THROUGHPUT, artifact).record(Math.max(0, bytes) / seconds);
  }

  /** A record was written to the DLT with this {@code rr.dlt.reason}. */
  public void deadLettered(DeadLetterReason reason) {
    meters
        .counter(MetricsCatalogue.DEAD_LETTERS, reason.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  /** Sets the summed consumer lag of an input. */
  public void consumerLag(String input, long lag) {
    meters.gauge(MetricsCatalogue.CONSUMER_LAG, input).set(lag);
  }

  /** The provider answered with a status the worker does not know. */
  public void unknownProviderStatus(JobType type) {
    meters.counter(MetricsCatalogue.UNKNOWN_PROVIDER_STATUS, jobType(type)).increment();
  }

  /** The estimated broker clock minus this worker's, and its uncertainty. */
  public void clockOffset(java.time.Duration offset, java.time.Duration uncertainty) {
    meters.gauge(MetricsCatalogue.CLOCK_OFFSET).set(offset.toMillis());
    meters.gauge(MetricsCatalogue.CLOCK_OFFSET_UNCERTAINTY).set(uncertainty.toMillis());
  }

  /** The last check of {@code dependency} passed ({@code up}) or failed. */
  public void dependency(String dependency, boolean up) {
    meters.gauge(MetricsCatalogue.DEPENDENCY_UP, dependency).set(up ? 1 : 0);
  }

  /** The submission gate is now in {@code state}; the other states go to 0. */
  public void submissionGate(String state) {
    String current = meters.value(MetricTag.GATE_STATE, state);
    for (String s : MetricTag.GATE_STATE.fixedValues()) {
      meters.gauge(MetricsCatalogue.SUBMISSION_GATE, s).set(s.equals(current) ? 1 : 0);
    }
  }

  /** A command with a known jobId was reannounced or dropped. */
  public void duplicateCommand(JobType type, String action) {
    meters.counter(MetricsCatalogue.DUPLICATE_COMMANDS, jobType(type), action).increment();
  }

  /** A job was found ambiguous and handled by {@code policy}. */
  public void ambiguousJob(JobType type, String policy) {
    meters.counter(MetricsCatalogue.AMBIGUOUS_JOBS, jobType(type), policy).increment();
  }

  /** A callback request ended with {@code result}. */
  public void callback(String result) {
    meters.counter(MetricsCatalogue.CALLBACKS, result).increment();
  }

  /** A Kafka transaction was committed. */
  public void transactionCommitted() {
    meters.counter(MetricsCatalogue.TRANSACTIONS, "committed").increment();
  }

  /** A Kafka transaction was aborted. */
  public void transactionAborted() {
    meters.counter(MetricsCatalogue.TRANSACTIONS, "aborted").increment();
  }

  /** An error from {@code component} was classified as {@code errorClass}. */
  public void error(String component, String errorClass) {
    meters.counter(MetricsCatalogue.ERRORS, component, errorClass).increment();
  }

  /** A pre-flight check of a job's inputs ended with {@code result}; {@code rule} if refused. */
  public void preflightCheck(JobType type, String result, String rule) {
    meters.counter(MetricsCatalogue.PREFLIGHT_CHECKS, jobType(type), result, rule).increment();
  }

  // ---- issue 17: latency histograms and binder-fed meters

  /**
   * A job reached its terminal event ({@code terminal}: completed or failed) {@code sinceIntake}
   * after the worker first saw it and {@code sinceRequested} after the command's requestedAt.
   */
  public void jobEnded(
      JobType type, String terminal, Duration sinceIntake, Duration sinceRequested) {
    meters
        .timer(MetricsCatalogue.JOB_DURATION, jobType(type), terminal)
        .record(positive(sinceIntake));
    meters
        .timer(MetricsCatalogue.END_TO_END, jobType(type), terminal)
        .record(positive(sinceRequested));
  }

  /** The provider reports it rendered a task in {@code took}. */
  public void providerRender(JobType type, Duration took) {
    meters.timer(MetricsCatalogue.PROVIDER_RENDER, jobType(type)).record(positive(took));
  }

  /** Sets what an HTTP client's connection pool reported ({@code state}: max, leased, ...). */
  public void httpClientPool(String pool, String state, long connections) {
    meters.gauge(MetricsCatalogue.HTTP_CLIENT_POOL, pool, state).set(connections);
  }

  /** Sets the number of ledger partitions assigned here and not yet restored. */
  public void ledgerPartitionsRestoring(long partitions) {
    meters.gauge(MetricsCatalogue.LEDGER_PARTITIONS_RESTORING).set(partitions);
  }

  /** A restore that began {@code from} its checkpoint or the beginning read {@code records}. */
  public void ledgerRecordsRestored(String from, long records) {
    meters.counter(MetricsCatalogue.LEDGER_RESTORED_RECORDS, from).increment(Math.max(0, records));
  }

  /** A partition's restore that began {@code from} there caught up after {@code took}. */
  public void ledgerPartitionRestored(String from, Duration took) {
    meters.timer(MetricsCatalogue.LEDGER_RESTORE_DURATION, from).record(positive(took));
  }

  /** Binds a function counter of a {@link MetricsCatalogue#boundByBinder()} metric. */
  public <T> void bindCounter(
      MetricsCatalogue m, String tagValue, T source, ToDoubleFunction<T> value) {
    FunctionCounter.builder(m.meterName(), source, value)
        .description(m.description())
        .tags(meters.tags(m, tagValue))
        .register(registry);
  }

  /** Binds a gauge of a {@link MetricsCatalogue#boundByBinder()} metric. */
  public <T> void bindGauge(
      MetricsCatalogue m, String tagValue, T source, ToDoubleFunction<T> value) {
    Gauge.builder(m.meterName(), source, value)
        .description(m.description())
        .tags(meters.tags(m, tagValue))
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
  Set<String> allowedValues(MetricTag tag) {
    return meters.allowedValues(tag);
  }
}
