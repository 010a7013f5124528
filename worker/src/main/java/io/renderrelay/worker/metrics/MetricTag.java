package io.renderrelay.worker.metrics;

import io.renderrelay.worker.dlt.DeadLetterReason;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Every tag a metric may carry, each with its bounded set of values. {@link #TIER} is bounded by
 * configuration (the configured poll tier topics and the poll-now topic).
 */
public enum MetricTag {
  STAGE("stage", "The pipeline stage.", "intake", "submit", "poll", "copy", "events"),
  OUTCOME(
      "outcome",
      "What a stage did with the job: ok (moved on), retry (will try again), failed (terminal"
          + " RenderFailed), dead_lettered, duplicate (jobId already known), ambiguous.",
      "ok",
      "retry",
      "failed",
      "dead_lettered",
      "duplicate",
      "ambiguous"),
  JOB_TYPE("job_type", "The provider product.", "restyle", "act_one"),
  REASON(
      "reason",
      "Why a record was dead-lettered: the rr.dlt.reason header (a DeadLetterReason), lower"
          + " case.",
      deadLetterReasons()),
  ENDPOINT("endpoint", "The provider endpoint.", "submit_restyle", "submit_act_one", "feed"),
  ANSWER_CLASS(
      "class",
      "How a call or error was classified at the boundary.",
      "ok",
      "retryable",
      "rejected",
      "not_found",
      "fatal",
      "ambiguous"),
  TIER("tier", "A poll tier topic (configured), or the poll-now topic."),
  LIMITER("limiter", "Which process-wide rate limiter.", "submit", "poll", "callback"),
  ARTIFACT("artifact", "Which output file.", "video", "poster", "last_frame"),
  INPUT(
      "input",
      "Which input the lag is summed over.",
      "restyle_commands",
      "act_one_commands",
      "poll_tiers",
      "poll_now"),
  GATE_STATE(
      "state",
      "Submission gate: open, paused_no_credit (403 balance), stopped_bad_key (401).",
      "open",
      "paused_no_credit",
      "stopped_bad_key"),
  DUPLICATE_ACTION(
      "action",
      "What was done with a command whose jobId is known: reannounced or dropped.",
      "reannounced",
      "dropped"),
  AMBIGUOUS_POLICY("policy", "The configured ambiguous-submit policy.", "fail", "resubmit"),
  CALLBACK_RESULT(
      "result",
      "The HTTP outcome of a callback.",
      "accepted",
      "forbidden",
      "not_found",
      "bad_request",
      "rate_limited",
      "too_large",
      "method_not_allowed",
      "unavailable",
      "error"),
  TRANSACTION_RESULT("result", "Kafka transaction end.", "committed", "aborted"),
  DEPENDENCY(
      "dependency",
      "An outside service the worker needs; its outage shows here, not in readiness.",
      "kafka",
      "schema_registry",
      "s3"),
  COMPONENT(
      "component", "The boundary an error came from.", "provider", "storage", "kafka", "registry"),

  // ---- issue 14: input pre-flight
  PREFLIGHT_RESULT(
      "result",
      "A pre-flight check of a job's inputs: passed; unchecked (passed, a header left unread);"
          + " rejected (the job fails unpaid, INPUT_REJECTED); retry (transient, checked again"
          + " later); gave_up (still transient after the last attempt: submitted unchecked).",
      "passed",
      "unchecked",
      "rejected",
      "retry",
      "gave_up"),
  PREFLIGHT_RULE(
      "rule",
      "Which pre-flight rule refused an input; none unless rejected.",
      "none",
      "reachable",
      "type",
      "size",
      "ratio"),

  // ---- issue 17: latency histograms and RocksDB statistics
  TERMINAL("terminal", "How a job ended.", "completed", "failed"),
  POOL("pool", "Which HTTP client's connection pool (the S3 client's Apache pool).", "s3"),
  POOL_STATE(
      "state",
      "Connections of a pool: max, available, leased, pending (acquires waiting).",
      "max",
      "available",
      "leased",
      "pending"),
  RESTORE_FROM(
      "from",
      "Where a ledger partition's restore began: its local checkpoint or the topic's beginning.",
      "checkpoint",
      "beginning"),
  ROCKSDB_TICKER(
      "ticker", "A RocksDB statistics ticker (TickerType, lower case).", RocksDbNames.tickers()),
  // ---- issue 14: spend and budgets
  TENANT(
      "tenant",
      "A job's tenant (spend.tenant-key): tenants with a cap, then the first spend.tenant-tags"
          + " seen; the rest share 'other', jobs without one are 'none'."),
  SCOPE("scope", "A budget cap: 'global' (spend.global-cap) or a tenant with a cap."),
  HOLD_REASON(
      "reason",
      "Why the budget guard held a job: global_cap, tenant_cap (reached), in_flight (the"
          + " tenant's in-flight limit), starting (the journal not read yet).",
      "global_cap",
      "tenant_cap",
      "in_flight",
      "starting"),
  ROCKSDB_PROPERTY(
      "property",
      "A RocksDB property (rocksdb.<name>, dashes as underscores).",
      RocksDbNames.properties());

  /** The value unknown tag values are mapped to in production. */
  public static final String OTHER = "other";

  private final String key;
  private final String description;
  private final Set<String> values;

  MetricTag(String key, String description, String... values) {
    this.key = key;
    this.description = description;
    this.values = Set.copyOf(new LinkedHashSet<>(Arrays.asList(values)));
  }

  public String key() {
    return key;
  }

  public String description() {
    return description;
  }

  /** The fixed values; empty for {@link #TIER}, whose values come from configuration. */
  public Set<String> fixedValues() {
    return values;
  }

  /** True when the values come from configuration rather than from the catalogue. */
  public boolean configured() {
    return this == TIER || this == TENANT || this == SCOPE;
  }

  private static String[] deadLetterReasons() {
    return Arrays.stream(DeadLetterReason.values())
        .map(r -> r.name().toLowerCase(Locale.ROOT))
        .toArray(String[]::new);
  }
}
