package io.renderrelay.worker.metrics;

import static io.renderrelay.worker.metrics.MetricTag.*;
import static io.renderrelay.worker.metrics.MetricType.*;

import java.util.List;

/**
 * The one catalogue of every metric the worker publishes: Prometheus name, type, description and
 * tags (each with a bounded value set). docs/metrics.md is generated from it.
 */
public enum MetricsCatalogue {
  JOBS(
      "render_relay_jobs_total",
      COUNTER,
      "Jobs leaving a stage, by job type, stage and outcome.",
      JOB_TYPE,
      STAGE,
      OUTCOME),
  PROVIDER_REQUESTS(
      "render_relay_provider_request_seconds",
      TIMER,
      "Provider call latency (submit and poll) by endpoint and answer class; _count is the"
          + " number of answers per class.",
      ENDPOINT,
      ANSWER_CLASS),
  RATE_LIMITER_WAIT(
      "render_relay_rate_limiter_wait_seconds", TIMER,
      "Time spent waiting for a process-wide rate limiter permit.", LIMITER),
  JOBS_IN_FLIGHT(
      "render_relay_jobs_in_flight", GAUGE,
      "Jobs currently waiting in or being polled from each poll tier.", TIER),
  POLL_LATENESS(
      "render_relay_poll_lateness_seconds", TIMER,
      "How late a poll ran: actual time minus due time (early polls count as 0).", TIER),
  COPY_BYTES(
      "render_relay_copy_bytes_total",
      COUNTER,
      "Bytes copied from the provider's CDN into S3.",
      JOB_TYPE,
      ARTIFACT),
  COPY_THROUGHPUT(
      "render_relay_copy_throughput_bytes_per_second", DISTRIBUTION_SUMMARY,
      "Throughput of each completed output copy.", ARTIFACT),
  DEAD_LETTERS(
      "render_relay_dead_letters_total", COUNTER,
      "Records written to the dead-letter topic, by reason.", REASON),
  CONSUMER_LAG(
      "render_relay_consumer_lag_records", GAUGE,
      "Consumer lag summed over this instance's assigned partitions, by input.", INPUT),
  UNKNOWN_PROVIDER_STATUS(
      "render_relay_provider_unknown_status_total",
      COUNTER,
      "Provider answers with a status the worker does not know (treated as not terminal).",
      JOB_TYPE),
  SUBMISSION_GATE(
      "render_relay_submission_gate_state", GAUGE,
      "1 for the submission gate's current state, 0 for the others.", GATE_STATE),
  DUPLICATE_COMMANDS(
      "render_relay_duplicate_commands_total",
      COUNTER,
      "Commands whose jobId was already known; never a second task.",
      JOB_TYPE,
      DUPLICATE_ACTION),
  AMBIGUOUS_JOBS(
      "render_relay_ambiguous_jobs_total",
      COUNTER,
      "Jobs found with a committed submit intent and no task id.",
      JOB_TYPE,
      AMBIGUOUS_POLICY),
  DEPENDENCY_UP(
      "render_relay_dependency_up",
      GAUGE,
      "1 while the dependency's last check (every few seconds) passed, 0 while it fails.",
      DEPENDENCY),
  CALLBACKS(
      "render_relay_callbacks_total",
      COUNTER,
      "Provider callbacks received, by HTTP outcome (accepted or why rejected).",
      CALLBACK_RESULT),
  CLOCK_OFFSET(
      "render_relay_clock_offset_milliseconds",
      GAUGE,
      "The Kafka broker's clock minus this worker's, as estimated from produce round trips to the"
          + " ledger topic (LogAppendTime); the worker's deadlines, due times and grace periods are"
          + " corrected by it. 0 until the first estimate or when the topic is CreateTime."),
  CLOCK_OFFSET_UNCERTAINTY(
      "render_relay_clock_offset_uncertainty_milliseconds",
      GAUGE,
      "How far the clock offset estimate may be off: half the shortest recent round trip."),
  TRANSACTIONS(
      "render_relay_transactions_total", COUNTER,
      "Kafka transactions committed or aborted.", TRANSACTION_RESULT),
  ERRORS(
      "render_relay_errors_total",
      COUNTER,
      "Errors classified at a boundary (provider, S3, Kafka, registry), by class.",
      COMPONENT,
      ANSWER_CLASS),

  // ---- latency histograms (issue 17): SLO buckets in SloBuckets
  JOB_DURATION(
      "render_relay_job_duration_seconds",
      TIMER,
      "Time from the worker's first sight of a command (the ledger entry's createdAt) to its"
          + " terminal event (RenderCompleted or RenderFailed); histogram.",
      JOB_TYPE,
      TERMINAL),
  END_TO_END(
      "render_relay_end_to_end_seconds",
      TIMER,
      "Time from the command's requestedAt (set by the caller) to its terminal event: what the"
          + " caller sees, queueing in Kafka included; histogram.",
      JOB_TYPE,
      TERMINAL),
  PROVIDER_RENDER(
      "render_relay_provider_render_seconds",
      TIMER,
      "Render time as the provider reports it (its task's update time minus its creation time)"
          + " for succeeded tasks; histogram.",
      JOB_TYPE),
  COPY_DURATION(
      "render_relay_copy_seconds", TIMER,
      "Duration of each completed output copy (CDN download streamed into S3); histogram.",
          ARTIFACT),

  // ---- issue 14: input pre-flight
  PREFLIGHT_CHECKS(
      "render_relay_preflight_checks_total",
      COUNTER,
      "Pre-flight checks of job inputs before the submit intent, by result and refusing rule.",
      JOB_TYPE,
      PREFLIGHT_RESULT,
      PREFLIGHT_RULE),

  // ---- HTTP client pools (issue 17)
  HTTP_CLIENT_POOL(
      "render_relay_http_client_pool_connections",
      GAUGE,
      "Connection pool of an HTTP client as its last request saw it: max, available (idle),"
          + " leased (in use) connections and pending acquires (requests waiting for one).",
      POOL,
      POOL_STATE),

  // ---- ledger restore on takeover (issue 13)
  LEDGER_PARTITIONS_RESTORING(
      "render_relay_ledger_partitions_restoring",
      GAUGE,
      "Ledger partitions assigned to this instance and not yet restored (their input partitions"
          + " stay paused until then)."),
  LEDGER_RESTORED_RECORDS(
      "render_relay_ledger_restored_records_total",
      COUNTER,
      "Ledger records read from render.jobs into the local store by restores.",
      RESTORE_FROM),
  LEDGER_RESTORE_DURATION(
      "render_relay_ledger_restore_seconds",
      TIMER,
      "Time from the start of a partition's restore to its catching up with the end offset seen"
          + " at the start; histogram.",
      RESTORE_FROM),

  // ---- spend and budgets (issue 14): bound by SpendMetrics, tenant tags bounded there
  SPEND(
      "render_relay_spend_total",
      COUNTER,
      "Estimated cost (spend.currency) of the paid submits this replica made, counted when their"
          + " reservation is read back from the spend journal; sum over replicas for the fleet.",
      TENANT,
      JOB_TYPE),
  SPEND_REFUNDED(
      "render_relay_spend_refunded_total",
      COUNTER,
      "Estimated cost of reservations this replica withdrew because the submit was not paid"
          + " (provider unavailable, rejected, shutdown before the POST).",
      TENANT,
      JOB_TYPE),
  BUDGET_USED(
      "render_relay_budget_used_ratio",
      GAUGE,
      "Share of a cap spent in its current UTC period, from the fleet's spend journal: every"
          + " replica reports the fleet's value (take max, not sum); 1 or more: exhausted.",
      SCOPE),
  BUDGET_HOLDS(
      "render_relay_budget_holds_total",
      COUNTER,
      "Submit checks the budget guard held back (each held job is checked again every"
          + " instance.submit-retry-delay), by tenant and reason.",
      TENANT,
      HOLD_REASON),
  BUDGET_HELD_JOBS(
      "render_relay_budget_held_jobs",
      GAUGE,
      "Jobs this replica holds back now (unpaid, waiting for a cap, a period or an in-flight"
          + " slot)."),

  // ---- RocksDB ledger store (issue 17): bound from the store's Statistics and properties
  ROCKSDB_TICKERS(
      "render_relay_rocksdb_ticker_total",
      COUNTER,
      "RocksDB statistics tickers of the local ledger store (cumulative since the store opened).",
      ROCKSDB_TICKER),
  ROCKSDB_PROPERTIES(
      "render_relay_rocksdb_property",
      GAUGE,
      "RocksDB properties of the local ledger store (sizes in bytes, key estimates, compactions).",
      ROCKSDB_PROPERTY);

  /** Every metric name starts with this. */
  public static final String PREFIX = "render_relay_";

  private final String prometheusName;
  private final MetricType type;
  private final String description;
  private final List<MetricTag> tags;

  MetricsCatalogue(String prometheusName, MetricType type, String description, MetricTag... tags) {
    this.prometheusName = prometheusName;
    this.type = type;
    this.description = description;
    this.tags = List.of(tags);
  }

  /** The name as it appears in the Prometheus exposition (counters with _total). */
  public String prometheusName() {
    return prometheusName;
  }

  /** The Micrometer meter name; Micrometer's Prometheus naming adds _total / _seconds back. */
  public String meterName() {
    return switch (type) {
      case COUNTER -> strip(prometheusName, "_total");
      case TIMER -> strip(prometheusName, "_seconds");
      default -> prometheusName;
    };
  }

  public MetricType type() {
    return type;
  }

  public String description() {
    return description;
  }

  public List<MetricTag> tags() {
    return tags;
  }

  /**
   * True for the spend and budget families: they exist only with {@code spend.enabled} (the spend
   * runtime binds them), so a scrape of a worker without it has none of them.
   */
  public boolean needsSpend() {
    return switch (this) {
      case SPEND, SPEND_REFUNDED, BUDGET_USED, BUDGET_HOLDS, BUDGET_HELD_JOBS -> true;
      default -> false;
    };
  }

  /**
   * True for metrics bound to a live object by a binder (their values are read at scrape time)
   * rather than pre-registered by {@link Metrics}.
   */
  boolean boundByBinder() {
    return needsSpend() || this == ROCKSDB_TICKERS || this == ROCKSDB_PROPERTIES;
  }

  private static String strip(String name, String suffix) {
    if (!name.endsWith(suffix)) {
      throw new IllegalStateException(name + " must end with " + suffix);
    }
    return name.substring(0, name.length() - suffix.length());
  }
}
