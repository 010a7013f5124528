package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import java.time.Duration;
import java.util.List;

/**
 * Keys of the job rules and of the optional input pre-flight. {@link ConfigKeys#ALL} lists them
 * with the others, in docs order.
 */
public final class JobKeys {
  private JobKeys() {}

  // ---- jobs
  public static final ConfigKey<Duration> JOBS_DEFAULT_DEADLINE =
      key("jobs.default-deadline", ValueType.DURATION)
          .group("jobs")
          .defaultValue("2h")
          .validator(Validator.durationRange(Duration.ofMinutes(1), Duration.ofDays(7)))
          .doc("Deadline of a job whose command sets none; past it the job fails.")
          .build();
  public static final ConfigKey<Duration> JOBS_UNRESOLVED_SUBMIT_WAIT =
      key("jobs.unresolved-submit-wait", ValueType.DURATION)
          .group("jobs")
          .defaultValue("60s")
          .validator(Validator.durationRange(Duration.ZERO, Duration.ofHours(1)))
          .doc(
              "How long a job found with a committed intent and no task id (its former owner"
                  + " stalled or was fenced between intent and answer) waits, after its intent, for"
                  + " that owner's word (not sent, or sent with a task id) before"
                  + " jobs.ambiguous-policy applies. Longer: fewer AMBIGUOUS jobs after long stalls;"
                  + " AMBIGUOUS after a crash comes that much later.")
          .build();
  public static final ConfigKey<AmbiguousPolicy> JOBS_AMBIGUOUS_POLICY =
      key("jobs.ambiguous-policy", ValueType.enumOf(AmbiguousPolicy.class))
          .group("jobs")
          .defaultValue("fail")
          .doc(
              "A job with a committed intent and no task id: fail (default) or resubmit"
                  + " (may pay twice).")
          .build();
  public static final ConfigKey<Integer> JOBS_MAX_PROMPT_LENGTH =
      key("jobs.max-prompt-length", ValueType.INT)
          .group("jobs")
          .defaultValue("1000")
          .validator(Validator.intRange(1, 100_000))
          .doc("Longest prompt accepted; longer commands go to the DLT.")
          .build();
  public static final ConfigKey<Boolean> JOBS_DEV_MODE =
      key("jobs.dev-mode", ValueType.BOOLEAN)
          .group("jobs")
          .defaultValue("false")
          .doc("Development mode: allows http and loopback URLs (simulator, local S3).")
          .build();
  public static final ConfigKey<Boolean> JOBS_STRICT_INPUT_URLS =
      key("jobs.strict-input-urls", ValueType.BOOLEAN)
          .group("jobs")
          .defaultValue("false")
          .doc(
              "Validate command input URLs with the production rules (https only, no private,"
                  + " loopback or metadata hosts) even when jobs.dev-mode is true.")
          .build();

  // ---- preflight
  public static final ConfigKey<Boolean> PREFLIGHT_ENABLED =
      key("preflight.enabled", ValueType.BOOLEAN)
          .group("preflight")
          .defaultValue("false")
          .doc(
              "Check a job's input URLs (ranged GETs through the output downloader's SSRF rules)"
                  + " before its submit intent; a failed check ends the job unpaid with"
                  + " INPUT_REJECTED.")
          .build();
  public static final ConfigKey<Duration> PREFLIGHT_TIMEOUT =
      key("preflight.timeout", ValueType.DURATION)
          .group("preflight")
          .defaultValue("10s")
          .validator(Validator.durationRange(Duration.ofMillis(100), Duration.ofMinutes(5)))
          .doc("Connect and read timeout of each ranged GET of an input.")
          .build();
  public static final ConfigKey<Long> PREFLIGHT_MAX_INPUT_BYTES =
      key("preflight.max-input-bytes", ValueType.SIZE)
          .group("preflight")
          .defaultValue("32MiB")
          .validator(Validator.sizeRange(1, 1L << 40))
          .doc(
              "Largest input the provider takes (Runway documents 32 MB for URL inputs, the"
                  + " gateway 64 MB for restyle sources); larger ones fail the job.")
          .build();
  public static final ConfigKey<Long> PREFLIGHT_MAX_READ_BYTES =
      key("preflight.max-read-bytes", ValueType.SIZE)
          .group("preflight")
          .defaultValue("2MiB")
          .validator(Validator.sizeRange(64L << 10, 256L << 20))
          .doc(
              "Most bytes read from one input to find its header (an MP4 moov at the end is"
                  + " reached by box headers); beyond it the header is left unchecked.")
          .build();
  public static final ConfigKey<Double> PREFLIGHT_RATIO_TOLERANCE =
      key("preflight.ratio-tolerance", ValueType.DOUBLE)
          .group("preflight")
          .defaultValue("0.01")
          .validator(Validator.doubleRange(0, 0.2))
          .doc("Relative tolerance of the act-one 16:9 rule (0.01: 1 %, so 854x480 passes).")
          .build();
  public static final ConfigKey<Integer> PREFLIGHT_MAX_ATTEMPTS =
      key("preflight.max-attempts", ValueType.INT)
          .group("preflight")
          .defaultValue("4")
          .validator(Validator.intRange(1, 20))
          .doc(
              "Checks of a job whose inputs fail transiently (timeout, 408, 429, 5xx), with"
                  + " backoff; after the last one the job is submitted unchecked.")
          .build();
  public static final ConfigKey<Boolean> PREFLIGHT_FOLLOW_REDIRECTS =
      key("preflight.follow-redirects", ValueType.BOOLEAN)
          .group("preflight")
          .defaultValue("false")
          .doc(
              "Follow up to 3 redirects of an input URL; off, a redirect fails the job (Runway"
                  + " wants sources without redirects).")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          JOBS_DEFAULT_DEADLINE,
          JOBS_AMBIGUOUS_POLICY,
          JOBS_UNRESOLVED_SUBMIT_WAIT,
          JOBS_MAX_PROMPT_LENGTH,
          JOBS_DEV_MODE,
          JOBS_STRICT_INPUT_URLS,
          PREFLIGHT_ENABLED,
          PREFLIGHT_TIMEOUT,
          PREFLIGHT_MAX_INPUT_BYTES,
          PREFLIGHT_MAX_READ_BYTES,
          PREFLIGHT_RATIO_TOLERANCE,
          PREFLIGHT_MAX_ATTEMPTS,
          PREFLIGHT_FOLLOW_REDIRECTS);
}
