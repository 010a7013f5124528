package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import java.time.Duration;
import java.util.List;

/**
 * Keys of this replica, the job ledger and shutdown. {@link ConfigKeys#ALL} lists them with the
 * others, in docs order.
 */
final class InstanceKeys {
  private InstanceKeys() {}

  // ---- instance
  public static final ConfigKey<String> INSTANCE_ID =
      key("instance.id", ValueType.STRING)
          .group("instance")
          .defaultValue("")
          .blankMeansUnset()
          .validator(Validator.matches("[A-Za-z0-9._-]{0,100}", "[A-Za-z0-9._-], up to 100 chars"))
          .doc(
              "Stable id of this replica (e.g. the pod name); part of the transactional id so a"
                  + " restarted replica fences its old self. Blank: the host name. A second"
                  + " process with the same id on one host is refused at start (a lock on"
                  + " <ledger-dir>/<id>.lock, exit code 3); one elsewhere is found by repeated"
                  + " fencing and stops the worker with the same error.")
          .build();
  public static final ConfigKey<Integer> INSTANCE_PARTITIONS =
      key("instance.topic-partitions", ValueType.INT)
          .group("instance")
          .defaultValue("12")
          .validator(Validator.intRange(1, 10_000))
          .doc("Partitions of the topics the worker creates when they are missing.")
          .build();
  public static final ConfigKey<Integer> INSTANCE_REPLICATION_FACTOR =
      key("instance.topic-replication-factor", ValueType.INT)
          .group("instance")
          .defaultValue("-1")
          .validator(Validator.intRange(-1, 32))
          .doc("Replication factor of created topics; -1 uses the broker's default.")
          .build();
  public static final ConfigKey<String> INSTANCE_LEDGER_DIR =
      key("instance.ledger-dir", ValueType.STRING)
          .group("instance")
          .defaultValue("")
          .blankMeansUnset()
          .doc(
              "Directory of the local RocksDB ledger (a cache of render.jobs)."
                  + " Blank: a directory under java.io.tmpdir.")
          .build();
  public static final ConfigKey<Secret> INSTANCE_CALLBACK_SECRET =
      key("instance.callback-secret", ValueType.SECRET)
          .group("instance")
          .secret()
          .required()
          .doc(
              "HMAC key of the per-job callback tokens; the same on every replica so any of them"
                  + " can check a callback.")
          .build();
  // ---- ledger
  public static final ConfigKey<String> LEDGER_WRITE_SCHEMA_VERSION =
      key("ledger.write-schema-version", ValueType.STRING)
          .group("ledger")
          .defaultValue("")
          .blankMeansUnset()
          .validator(Validator.releasedSchemaVersion())
          .doc(
              "Write ledger entries and poll tickets with this released schema version instead of"
                  + " the current one: the first step of a rolling upgrade whose internal schemas"
                  + " changed, so the previous release (and a rollback to it) still reads"
                  + " everything. Blank: the current schema. See docs/operations.md.")
          .build();
  public static final ConfigKey<Duration> LEDGER_DEDUPE_HORIZON =
      key("ledger.dedupe-horizon", ValueType.DURATION)
          .group("ledger")
          .defaultValue("7d")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofDays(3650)))
          .doc(
              "How long after a job ended its ledger entry is kept; then the worker deletes it"
                  + " (a tombstone). A command with the same jobId arriving later runs as a new job.")
          .build();
  public static final ConfigKey<Duration> LEDGER_EXPIRY_INTERVAL =
      key("ledger.expiry-interval", ValueType.DURATION)
          .group("ledger")
          .defaultValue("1m")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofHours(1)))
          .doc("How often the local ledger is scanned for entries past the dedupe horizon.")
          .build();
  public static final ConfigKey<Integer> LEDGER_EXPIRY_BATCH =
      key("ledger.expiry-batch", ValueType.INT)
          .group("ledger")
          .defaultValue("500")
          .validator(Validator.intRange(1, 100_000))
          .doc("At most this many tombstones per scan and partition (bounded work per interval).")
          .build();
  public static final ConfigKey<Boolean> INSTANCE_AUTO_REGISTER_SCHEMAS =
      key("instance.auto-register-schemas", ValueType.BOOLEAN)
          .group("instance")
          .defaultValue("true")
          .doc(
              "Register the command and event schemas in the registry at start and on first use;"
                  + " when false they must exist (checked at start, missing subjects logged).")
          .build();
  public static final ConfigKey<Duration> INSTANCE_SUBMIT_RETRY_DELAY =
      key("instance.submit-retry-delay", ValueType.DURATION)
          .group("instance")
          .defaultValue("5s")
          .validator(Validator.durationRange(Duration.ofMillis(10), Duration.ofMinutes(30)))
          .doc(
              "Wait before a submit that was refused without payment (429, 503, stopped"
                  + " submissions) is tried again, unless the provider says Retry-After.")
          .build();
  public static final ConfigKey<Duration> INSTANCE_SUBMISSION_PROBE_INTERVAL =
      key("instance.submission-probe-interval", ValueType.DURATION)
          .group("instance")
          .defaultValue("30s")
          .validator(Validator.durationRange(Duration.ofMillis(100), Duration.ofHours(1)))
          .doc(
              "While submissions are stopped (bad key, no credit), how often one probe submit is"
                  + " let through to find out whether the provider takes work again.")
          .build();

  // ---- shutdown
  public static final ConfigKey<Duration> SHUTDOWN_GRACE =
      key("shutdown.grace", ValueType.DURATION)
          .group("shutdown")
          .defaultValue("30s")
          .validator(Validator.durationRange(Duration.ZERO, Duration.ofMinutes(10)))
          .doc("Time given to in-flight work to finish and commit on shutdown.")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          INSTANCE_ID,
          INSTANCE_PARTITIONS,
          INSTANCE_REPLICATION_FACTOR,
          INSTANCE_LEDGER_DIR,
          INSTANCE_CALLBACK_SECRET,
          INSTANCE_AUTO_REGISTER_SCHEMAS,
          INSTANCE_SUBMIT_RETRY_DELAY,
          INSTANCE_SUBMISSION_PROBE_INTERVAL,
          LEDGER_WRITE_SCHEMA_VERSION,
          LEDGER_DEDUPE_HORIZON,
          LEDGER_EXPIRY_INTERVAL,
          LEDGER_EXPIRY_BATCH,
          SHUTDOWN_GRACE);
}
