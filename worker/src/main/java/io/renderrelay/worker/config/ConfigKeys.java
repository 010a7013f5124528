package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import io.renderrelay.worker.config.WorkerConfig.RateLimitScope;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key of the worker, each declared exactly once. The loader, {@link ConfigDump}
 * and {@link ConfigDocGenerator} all read these declarations.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Prefix for pass-through Kafka client properties, e.g. kafka.client.security.protocol. */
  public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";

  /** Docs sections, in order, with their introductions. */
  public static final Map<String, String> GROUPS = groups();

  // ---- kafka
  public static final ConfigKey<List<String>> KAFKA_BOOTSTRAP_SERVERS =
      key("kafka.bootstrap-servers", ValueType.LIST)
          .group("kafka")
          .defaultValue("localhost:9092")
          .validator(Validator.hostPortList())
          .doc("Kafka brokers to bootstrap from, comma-separated host:port.")
          .build();
  public static final ConfigKey<String> KAFKA_GROUP_ID =
      key("kafka.group-id", ValueType.STRING)
          .group("kafka")
          .defaultValue("render-relay")
          .validator(Validator.matches("[A-Za-z0-9._-]{1,200}", "[A-Za-z0-9._-], 1..200 chars"))
          .doc("Consumer group of all worker replicas.")
          .build();
  public static final ConfigKey<String> KAFKA_TRANSACTIONAL_ID_PREFIX =
      key("kafka.transactional-id-prefix", ValueType.STRING)
          .group("kafka")
          .defaultValue("render-relay-tx")
          .validator(Validator.matches("[A-Za-z0-9._-]{1,200}", "[A-Za-z0-9._-], 1..200 chars"))
          .doc("Prefix of the producers' transactional ids (one per worker instance).")
          .build();
  public static final ConfigKey<Duration> KAFKA_COMMIT_INTERVAL =
      key("kafka.commit-interval", ValueType.DURATION)
          .group("kafka")
          .defaultValue("500ms")
          .validator(Validator.durationRange(Duration.ofMillis(10), Duration.ofMinutes(1)))
          .doc("How often finished work is committed in one Kafka transaction.")
          .build();
  public static final ConfigKey<Integer> KAFKA_MAX_IN_FLIGHT_PER_PARTITION =
      key("kafka.max-in-flight-per-partition", ValueType.INT)
          .group("kafka")
          .defaultValue("64")
          .validator(Validator.intRange(1, 10_000))
          .doc(
              "Records of one partition processed concurrently (out-of-order, committed as a"
                  + " contiguous prefix).")
          .build();

  // ---- topics
  public static final ConfigKey<String> TOPIC_RESTYLE_COMMANDS =
      topic("topics.restyle-commands", "render.commands.restyle", "Restyle commands (input).");
  public static final ConfigKey<String> TOPIC_ACT_ONE_COMMANDS =
      topic("topics.act-one-commands", "render.commands.act-one", "Act-one commands (input).");
  public static final ConfigKey<String> TOPIC_EVENTS =
      topic("topics.events", "render.events", "RenderCompleted / RenderFailed events (output).");
  public static final ConfigKey<String> TOPIC_DEAD_LETTER =
      topic(
          "topics.dead-letter", "render.dlt", "Dead-letter topic: original bytes + error headers.");
  public static final ConfigKey<String> TOPIC_JOBS =
      topic("topics.jobs", "render.jobs", "Compacted job ledger, key jobId.");
  public static final ConfigKey<String> TOPIC_POLL_NOW =
      topic(
          "topics.poll-now",
          WorkerConfig.Topics.DEFAULT_POLL_NOW,
          "Zero-delay poll topic: a provider callback becomes a 'poll now' ticket here.");
  public static final ConfigKey<String> TOPIC_REPLICAS =
      topic(
          "topics.replicas",
          WorkerConfig.Topics.DEFAULT_REPLICAS,
          "Compacted directory of the running replicas (key instance id, value its management"
              + " URL): how any replica finds the owner of a job for GET /jobs/{jobId}.");
  public static final ConfigKey<List<PollTier>> POLL_TIERS =
      key("poll.tiers", ValueType.POLL_TIERS)
          .group("topics")
          .defaultValue("render.poll.10s:10s:6,render.poll.30s:30s:20,render.poll.120s:120s:0")
          .doc(
              "Fixed-delay poll tiers, topic:delay:attempts in order; a job uses each tier for"
                  + " 'attempts' polls, the last tier (attempts 0) repeats until the deadline.")
          .build();

  public static final ConfigKey<Integer> POLL_LEARNED_MIN_SAMPLES =
      key("poll.learned.min-samples", ValueType.INT)
          .group("topics")
          .defaultValue("20")
          .validator(Validator.intRange(0, 512))
          .doc(
              "Finished renders of a job type this worker must have seen before their quantiles"
                  + " schedule its polls (first poll at the 95th percentile while callbacks"
                  + " arrive, else at the median, 75th, 90th, ... percentile); until then the"
                  + " prior, else the tiers. 0: never learn.")
          .build();
  public static final ConfigKey<Duration> POLL_LEARNED_MAX_WAIT =
      key("poll.learned.max-wait", ValueType.DURATION)
          .group("topics")
          .defaultValue("15m")
          .validator(Validator.durationRange(Duration.ofMillis(1), Duration.ofDays(1)))
          .doc(
              "Longest wait before one scheduled poll (the shortest tier delay is the"
                  + " shortest); a wait is spent in tier legs that cost no provider request.")
          .build();
  public static final ConfigKey<String> POLL_LEARNED_PRIOR =
      key("poll.learned.prior", ValueType.STRING)
          .group("topics")
          .validator(
              v -> {
                try {
                  io.renderrelay.worker.job.schedule.RenderTimePrior.parse(v);
                  return java.util.Optional.empty();
                } catch (IllegalArgumentException e) {
                  return java.util.Optional.of(e.getMessage());
                }
              })
          .doc(
              "Render times expected before any were observed, type:median:p95 entries, e.g."
                  + " restyle:150s:480s,act-one:180s:720s (lognormal); unset: the tiers until"
                  + " poll.learned.min-samples renders were seen.")
          .build();

  // ---- registry
  public static final ConfigKey<URI> REGISTRY_URL =
      key("registry.url", ValueType.URL)
          .group("registry")
          .defaultValue("http://localhost:8081")
          .validator(Validator.httpUrl())
          .doc("Schema registry base URL (Confluent REST API).")
          .build();
  public static final ConfigKey<String> REGISTRY_BASIC_AUTH =
      key("registry.basic-auth-user-info", ValueType.STRING)
          .group("registry")
          .secret()
          .validator(Validator.matches("[^:]+:.+", "user:password"))
          .doc("Basic auth for the registry as user:password.")
          .build();
  public static final ConfigKey<Secret> REGISTRY_BEARER_TOKEN =
      key("registry.bearer-token", ValueType.SECRET)
          .group("registry")
          .secret()
          .doc("Bearer token for the registry.")
          .build();

  // ---- provider
  public static final ConfigKey<URI> PROVIDER_BASE_URL =
      key("provider.base-url", ValueType.URL)
          .group("provider")
          .defaultValue("https://api.cometapi.com")
          .validator(Validator.httpUrl())
          .doc("Provider gateway base URL; must be https unless jobs.dev-mode is true.")
          .build();
  public static final ConfigKey<Secret> PROVIDER_API_KEY =
      key("provider.api-key", ValueType.SECRET)
          .group("provider")
          .secret()
          .required()
          .doc("Provider API key, sent as Authorization: Bearer.")
          .build();
  public static final ConfigKey<String> PROVIDER_VERSION_HEADER =
      key("provider.version-header", ValueType.STRING)
          .group("provider")
          .defaultValue("2024-11-06")
          .blankMeansUnset()
          .doc("X-Runway-Version header value; empty to send none.")
          .build();
  public static final ConfigKey<String> PROVIDER_RESTYLE_PATH =
      path("provider.restyle-path", "/runway/pro/video2video", "Restyle submit path.");
  public static final ConfigKey<String> PROVIDER_ACT_ONE_PATH =
      path("provider.act-one-path", "/runway/pro/act_one", "Act-one submit path.");
  public static final ConfigKey<String> PROVIDER_FEED_PATH =
      path("provider.feed-path", "/runway/feed", "Feed Get Task (poll) path.");
  public static final ConfigKey<Duration> PROVIDER_CONNECT_TIMEOUT =
      key("provider.connect-timeout", ValueType.DURATION)
          .group("provider")
          .defaultValue("5s")
          .validator(Validator.durationRange(Duration.ofMillis(100), Duration.ofMinutes(2)))
          .doc("TCP/TLS connect timeout for provider calls.")
          .build();
  public static final ConfigKey<Duration> PROVIDER_REQUEST_TIMEOUT =
      key("provider.request-timeout", ValueType.DURATION)
          .group("provider")
          .defaultValue("30s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc("Whole-request timeout for provider calls.")
          .build();
  public static final ConfigKey<Double> PROVIDER_SUBMITS_PER_SECOND =
      key("provider.submits-per-second", ValueType.DOUBLE)
          .group("provider")
          .defaultValue("2")
          .validator(Validator.doubleRange(0.01, 100_000))
          .doc("Process-wide rate limit of submits.")
          .build();
  public static final ConfigKey<Double> PROVIDER_POLLS_PER_SECOND =
      key("provider.polls-per-second", ValueType.DOUBLE)
          .group("provider")
          .defaultValue("10")
          .validator(Validator.doubleRange(0.01, 100_000))
          .doc("Process-wide rate limit of Feed Get Task calls.")
          .build();
  public static final ConfigKey<RateLimitScope> PROVIDER_RATE_LIMIT_SCOPE =
      key("provider.rate-limit-scope", ValueType.enumOf(RateLimitScope.class))
          .group("provider")
          .defaultValue("process")
          .doc(
              "process: the submit and poll rates apply to each replica. partition-share: they are"
                  + " the account's global budget, and each replica takes the share of the"
                  + " partitions it owns (owned / total), adjusted on every rebalance.")
          .build();
  public static final ConfigKey<Integer> PROVIDER_MAX_TASKS_IN_FLIGHT =
      key("provider.max-tasks-in-flight", ValueType.INT)
          .group("provider")
          .defaultValue("50")
          .validator(Validator.intRange(1, 100_000))
          .doc("Provider tasks this instance keeps running at once; submits wait above it.")
          .build();
  public static final ConfigKey<Integer> PROVIDER_MAX_RESUBMITS =
      key("provider.max-resubmits", ValueType.INT)
          .group("provider")
          .defaultValue("1")
          .validator(Validator.intRange(0, 5))
          .doc("Resubmits after a provider-side (refunded, non-moderation) failure.")
          .build();
  public static final ConfigKey<Duration> PROVIDER_TASK_NOT_FOUND_GRACE =
      key("provider.task-not-found-grace", ValueType.DURATION)
          .group("provider")
          .defaultValue("60s")
          .validator(Validator.durationRange(Duration.ZERO, Duration.ofHours(1)))
          .doc("How long task_not_exist right after submit is tolerated before the task is lost.")
          .build();
  public static final ConfigKey<URI> PROVIDER_CALLBACK_BASE_URL =
      key("provider.callback-base-url", ValueType.URL)
          .group("provider")
          .required()
          .validator(Validator.callbackBaseUrl())
          .doc(
              "Public URL of this service's callback path, e.g."
                  + " https://relay.example.com/callbacks; /{jobId}/{token} is appended. The"
                  + " path must end with /callbacks (once); a URL without it, or with it twice,"
                  + " is refused at start.")
          .build();

  // ---- storage
  public static final ConfigKey<URI> STORAGE_ENDPOINT =
      key("storage.endpoint", ValueType.URL)
          .group("storage")
          .validator(Validator.httpUrl())
          .doc("S3 endpoint override (local S3, MinIO); empty for AWS.")
          .build();
  public static final ConfigKey<String> STORAGE_REGION =
      key("storage.region", ValueType.STRING)
          .group("storage")
          .defaultValue("us-east-1")
          .validator(Validator.matches("[a-z0-9-]{1,64}", "a region name like eu-west-1"))
          .doc("S3 region.")
          .build();
  public static final ConfigKey<String> STORAGE_BUCKET =
      key("storage.bucket", ValueType.STRING)
          .group("storage")
          .required()
          .validator(
              Validator.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", "a valid S3 bucket name"))
          .doc("Bucket the renders are copied into.")
          .build();
  public static final ConfigKey<String> STORAGE_ROOT_PREFIX =
      key("storage.root-prefix", ValueType.STRING)
          .group("storage")
          .defaultValue("renders")
          .validator(
              Validator.matches(
                  "([A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*)?",
                  "a relative key prefix without leading or trailing '/'"))
          .doc("Key prefix: <prefix>/<jobType>/<jobId>/video.mp4.")
          .build();
  public static final ConfigKey<Boolean> STORAGE_PATH_STYLE =
      key("storage.path-style", ValueType.BOOLEAN)
          .group("storage")
          .defaultValue("false")
          .doc("Use path-style S3 addressing (needed by most local S3 servers).")
          .build();
  public static final ConfigKey<String> STORAGE_ACCESS_KEY_ID =
      key("storage.access-key-id", ValueType.STRING)
          .group("storage")
          .doc("Static S3 access key id; empty to use the default AWS credential chain.")
          .build();
  public static final ConfigKey<Secret> STORAGE_SECRET_ACCESS_KEY =
      key("storage.secret-access-key", ValueType.SECRET)
          .group("storage")
          .secret()
          .doc("Static S3 secret key, together with storage.access-key-id.")
          .build();
  public static final ConfigKey<Long> STORAGE_PART_SIZE =
      key("storage.part-size", ValueType.SIZE)
          .group("storage")
          .defaultValue("8MiB")
          .validator(Validator.sizeRange(5L << 20, 5L << 30))
          .doc("Multipart upload part size (S3 minimum 5MiB).")
          .build();
  public static final ConfigKey<Long> STORAGE_MAX_OUTPUT_BYTES =
      key("storage.max-output-bytes", ValueType.SIZE)
          .group("storage")
          .defaultValue("2GiB")
          .validator(Validator.sizeRange(1, 5L << 40))
          .doc("Largest provider output the worker copies; larger ones fail the job.")
          .build();
  public static final ConfigKey<Set<String>> STORAGE_ALLOWED_OUTPUT_HOSTS =
      key("storage.allowed-output-hosts", ValueType.SET)
          .group("storage")
          .defaultValue("")
          .validator(Validator.eachMatches("(\\*\\.)?[A-Za-z0-9.-]+", "a host or *.suffix", true))
          .doc(
              "Hosts outputs may be downloaded from (exact or *.suffix); empty allows any public"
                  + " https host.")
          .build();
  public static final ConfigKey<Boolean> STORAGE_ALLOW_INSECURE_OUTPUTS =
      key("storage.allow-insecure-outputs", ValueType.BOOLEAN)
          .group("storage")
          .defaultValue("false")
          .doc("Allow http and private-address output URLs; only with jobs.dev-mode.")
          .build();
  public static final ConfigKey<Duration> STORAGE_DOWNLOAD_TIMEOUT =
      key("storage.download-timeout", ValueType.DURATION)
          .group("storage")
          .defaultValue("5m")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofHours(1)))
          .doc("Timeout of one output download and upload.")
          .build();
  public static final ConfigKey<Integer> STORAGE_MAX_COPY_ATTEMPTS =
      key("storage.max-copy-attempts", ValueType.INT)
          .group("storage")
          .defaultValue("5")
          .validator(Validator.intRange(1, 100))
          .doc("Copy attempts of one output before the job fails with COPY_FAILED.")
          .build();

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

  // ---- http
  public static final ConfigKey<String> HTTP_BIND_ADDRESS =
      key("http.bind-address", ValueType.STRING)
          .group("http")
          .defaultValue("0.0.0.0")
          .validator(Validator.nonBlank())
          .doc("Address the callback and the management listeners bind.")
          .build();
  public static final ConfigKey<Integer> HTTP_PORT =
      key("http.port", ValueType.INT)
          .group("http")
          .defaultValue("8080")
          .validator(Validator.intRange(0, 65_535))
          .doc(
              "Public port: provider callbacks (POST /callbacks/{jobId}/{token}) only; 0 picks a"
                  + " free one.")
          .build();
  public static final ConfigKey<Integer> HTTP_MANAGEMENT_PORT =
      key("http.management-port", ValueType.INT)
          .group("http")
          .defaultValue("9090")
          .validator(Validator.intRange(0, 65_535))
          .doc(
              "Management port: /health/live, /health/ready and /metrics, apart from the public"
                  + " callback port; 0 picks a free one.")
          .build();
  public static final ConfigKey<URI> HTTP_ADVERTISED_URL =
      key("http.advertised-url", ValueType.URL)
          .group("http")
          .defaultValue("")
          .blankMeansUnset()
          .validator(Validator.httpUrl())
          .doc(
              "Base URL other replicas reach this one's management listener at (GET"
                  + " /jobs/{jobId} is forwarded there when this replica owns the job), e.g."
                  + " http://10.1.2.3:9090 (the Helm chart sets the pod IP). Blank: http://"
                  + " + this host's address + the management port.")
          .build();
  public static final ConfigKey<Duration> HTTP_REQUEST_TIMEOUT =
      key("http.request-timeout", ValueType.DURATION)
          .group("http")
          .defaultValue("10s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(5)))
          .doc(
              "Longest time a client may take to send a request's headers and body, and to take"
                  + " its response; the connection is closed after it (whole seconds; a slow"
                  + " client cannot hold a connection).")
          .build();
  public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT =
      key("http.idle-timeout", ValueType.DURATION)
          .group("http")
          .defaultValue("30s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc("An idle keep-alive connection is closed after this (whole seconds).")
          .build();
  public static final ConfigKey<Integer> HTTP_MAX_CONNECTIONS =
      key("http.max-connections", ValueType.INT)
          .group("http")
          .defaultValue("256")
          .validator(Validator.intRange(1, 100_000))
          .doc(
              "Open connections each listener keeps; a connection above it is closed at once (a"
                  + " flood cannot exhaust the worker's sockets or threads).")
          .build();
  public static final ConfigKey<Long> HTTP_MAX_CALLBACK_BYTES =
      key("http.max-callback-bytes", ValueType.SIZE)
          .group("http")
          .defaultValue("64KiB")
          .validator(Validator.sizeRange(1024, 16L << 20))
          .doc("Largest callback body accepted (413 above).")
          .build();
  public static final ConfigKey<Double> HTTP_CALLBACKS_PER_SECOND =
      key("http.callbacks-per-second", ValueType.DOUBLE)
          .group("http")
          .defaultValue("50")
          .validator(Validator.doubleRange(0.1, 100_000))
          .doc("Process-wide callback rate limit (429 above).")
          .build();

  // ---- tracing (issue 17)
  public static final ConfigKey<Boolean> TRACING_OTLP_ENABLED =
      key("tracing.otlp-enabled", ValueType.BOOLEAN)
          .group("tracing")
          .defaultValue("false")
          .doc(
              "Export spans over OTLP/HTTP to tracing.otlp-endpoint. Off: spans are still made and"
                  + " their W3C context propagated (events, DLT records, provider calls, log lines),"
                  + " nothing is exported.")
          .build();
  public static final ConfigKey<URI> TRACING_OTLP_ENDPOINT =
      key("tracing.otlp-endpoint", ValueType.URL)
          .group("tracing")
          .defaultValue("http://localhost:4318/v1/traces")
          .validator(Validator.httpUrl())
          .doc(
              "OTLP/HTTP traces endpoint of the collector (protobuf), e.g. an OpenTelemetry Collector.")
          .build();
  public static final ConfigKey<Secret> TRACING_OTLP_HEADERS =
      key("tracing.otlp-headers", ValueType.SECRET)
          .group("tracing")
          .secret()
          .validator(v -> io.renderrelay.worker.tracing.OtlpHeaders.problem(v.reveal()))
          .doc(
              "Extra headers of every OTLP export request, e.g. a collector's or vendor's"
                  + " credentials: name=value pairs separated by commas, values percent-encoded"
                  + " (the OTEL_EXPORTER_OTLP_HEADERS format), e.g."
                  + " Authorization=Bearer%20TOKEN.")
          .build();
  public static final ConfigKey<Double> TRACING_SAMPLE_RATIO =
      key("tracing.sample-ratio", ValueType.DOUBLE)
          .group("tracing")
          .defaultValue("1.0")
          .validator(Validator.doubleRange(0, 1))
          .doc(
              "Share of new traces (commands without a traceparent header) that are sampled;"
                  + " a command's own sampled flag is always followed.")
          .build();

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

  /** Every key, in docs order. */
  // ---- spend (issue 14)
  public static final ConfigKey<Boolean> SPEND_ENABLED =
      key("spend.enabled", ValueType.BOOLEAN)
          .group("spend")
          .defaultValue("false")
          .doc(
              "Journal every paid submit's estimated cost to spend.topic (in the transaction of"
                  + " its intent) and enforce the caps and in-flight limits below.")
          .build();

  public static final ConfigKey<String> SPEND_TOPIC =
      key("spend.topic", ValueType.STRING)
          .group("spend")
          .defaultValue(SpendSettings.DEFAULT_TOPIC)
          .validator(Validator.topicName())
          .doc(
              "The spend journal (written and read on partition 0 only: one order), read by every"
                  + " replica and by the CLI.")
          .build();
  public static final ConfigKey<String> SPEND_CURRENCY =
      key("spend.currency", ValueType.STRING)
          .group("spend")
          .defaultValue("USD")
          .validator(Validator.matches("[A-Z]{3}", "an ISO 4217 code, e.g. USD"))
          .doc("Currency of the prices and caps.")
          .build();
  public static final ConfigKey<List<SpendSettings.Price>> SPEND_PRICES =
      key("spend.prices", SpendValues.PRICES)
          .group("spend")
          .defaultValue("")
          .doc(
              "Price table, type[:model]=AMOUNT[/task|/s] comma-separated, e.g."
                  + " `restyle:gen4=0.25,restyle=0.20,act-one=0.05/s`; an entry with a model wins"
                  + " over its type's; a job type without a price costs 0. See docs/operations.md"
                  + " for example list prices (not the truth: check your contract).")
          .build();
  public static final ConfigKey<Duration> SPEND_OUTPUT_SECONDS =
      key("spend.assumed-output-length", ValueType.DURATION)
          .group("spend")
          .defaultValue("10s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc("Output length assumed for per-second prices (the length is unknown at submit).")
          .build();
  public static final ConfigKey<String> SPEND_TENANT_KEY =
      key("spend.tenant-key", ValueType.STRING)
          .group("spend")
          .defaultValue("tenant")
          .validator(Validator.matches("[A-Za-z0-9._-]{1,100}", "[A-Za-z0-9._-], 1..100 chars"))
          .doc(
              "Command metadata key that names a job's tenant; a job without it is booked to"
                  + " tenant `none`.")
          .build();
  public static final ConfigKey<SpendSettings.Cap> SPEND_GLOBAL_CAP =
      key("spend.global-cap", SpendValues.CAP)
          .group("spend")
          .doc("Cap over all tenants, AMOUNT/day or AMOUNT/month (UTC), e.g. `500/day`.")
          .build();
  public static final ConfigKey<Map<String, SpendSettings.Cap>> SPEND_TENANT_CAPS =
      key("spend.tenant-caps", SpendValues.TENANT_CAPS)
          .group("spend")
          .defaultValue("")
          .doc("Caps per tenant, tenant=AMOUNT/period comma-separated, e.g. `acme=50/day`.")
          .build();
  public static final ConfigKey<SpendSettings.OnExhausted> SPEND_ON_EXHAUSTED =
      key("spend.on-exhausted", ValueType.enumOf(SpendSettings.OnExhausted.class))
          .group("spend")
          .defaultValue("wait")
          .doc(
              "A submit over a cap: wait (the command waits unpaid until the period rolls over,"
                  + " the cap is raised or its deadline passes) or fail (RenderFailed"
                  + " BUDGET_EXHAUSTED, unpaid).")
          .build();
  public static final ConfigKey<Integer> SPEND_TENANT_MAX_IN_FLIGHT =
      key("spend.tenant-max-in-flight", ValueType.INT)
          .group("spend")
          .defaultValue("0")
          .validator(Validator.intRange(0, 1_000_000))
          .doc(
              "Most paid tasks of one tenant in flight across the fleet (0: no limit); a tenant"
                  + " at its limit waits, the others go on.")
          .build();
  public static final ConfigKey<Integer> SPEND_TENANT_TAGS =
      key("spend.tenant-tags", ValueType.INT)
          .group("spend")
          .defaultValue("20")
          .validator(Validator.intRange(0, 1000))
          .doc(
              "Tenants with their own metric tag: those with a cap, then the first ones seen up"
                  + " to this many; the rest share the tag `other`.")
          .build();
  public static final ConfigKey<Duration> SPEND_READ_BACK_TIMEOUT =
      key("spend.read-back-timeout", ValueType.DURATION)
          .group("spend")
          .defaultValue("90s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc(
              "A replica reserves again only after reading its last reservation back from the"
                  + " journal; past this it assumes that reservation's transaction aborted. Must be"
                  + " above the producers' transaction timeout (60 s, or"
                  + " kafka.client.transaction.timeout.ms; checked at start): the fleet-wide bound"
                  + " assumes an unread reservation was aborted, not merely late.")
          .build();

  public static final List<ConfigKey<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP_SERVERS,
          KAFKA_GROUP_ID,
          KAFKA_TRANSACTIONAL_ID_PREFIX,
          KAFKA_COMMIT_INTERVAL,
          KAFKA_MAX_IN_FLIGHT_PER_PARTITION,
          TOPIC_RESTYLE_COMMANDS,
          TOPIC_ACT_ONE_COMMANDS,
          TOPIC_EVENTS,
          TOPIC_DEAD_LETTER,
          TOPIC_JOBS,
          TOPIC_POLL_NOW,
          TOPIC_REPLICAS,
          POLL_TIERS,
          POLL_LEARNED_MIN_SAMPLES,
          POLL_LEARNED_MAX_WAIT,
          POLL_LEARNED_PRIOR,
          REGISTRY_URL,
          REGISTRY_BASIC_AUTH,
          REGISTRY_BEARER_TOKEN,
          PROVIDER_BASE_URL,
          PROVIDER_API_KEY,
          PROVIDER_VERSION_HEADER,
          PROVIDER_RESTYLE_PATH,
          PROVIDER_ACT_ONE_PATH,
          PROVIDER_FEED_PATH,
          PROVIDER_CONNECT_TIMEOUT,
          PROVIDER_REQUEST_TIMEOUT,
          PROVIDER_SUBMITS_PER_SECOND,
          PROVIDER_POLLS_PER_SECOND,
          PROVIDER_RATE_LIMIT_SCOPE,
          PROVIDER_MAX_TASKS_IN_FLIGHT,
          PROVIDER_MAX_RESUBMITS,
          PROVIDER_TASK_NOT_FOUND_GRACE,
          PROVIDER_CALLBACK_BASE_URL,
          STORAGE_ENDPOINT,
          STORAGE_REGION,
          STORAGE_BUCKET,
          STORAGE_ROOT_PREFIX,
          STORAGE_PATH_STYLE,
          STORAGE_ACCESS_KEY_ID,
          STORAGE_SECRET_ACCESS_KEY,
          STORAGE_PART_SIZE,
          STORAGE_MAX_OUTPUT_BYTES,
          STORAGE_ALLOWED_OUTPUT_HOSTS,
          STORAGE_ALLOW_INSECURE_OUTPUTS,
          STORAGE_DOWNLOAD_TIMEOUT,
          STORAGE_MAX_COPY_ATTEMPTS,
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
          PREFLIGHT_FOLLOW_REDIRECTS,
          HTTP_BIND_ADDRESS,
          HTTP_PORT,
          HTTP_MANAGEMENT_PORT,
          HTTP_ADVERTISED_URL,
          HTTP_REQUEST_TIMEOUT,
          HTTP_IDLE_TIMEOUT,
          HTTP_MAX_CONNECTIONS,
          HTTP_MAX_CALLBACK_BYTES,
          HTTP_CALLBACKS_PER_SECOND,
          TRACING_OTLP_ENABLED,
          TRACING_OTLP_ENDPOINT,
          TRACING_OTLP_HEADERS,
          TRACING_SAMPLE_RATIO,
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
          SPEND_ENABLED,
          SPEND_TOPIC,
          SPEND_CURRENCY,
          SPEND_PRICES,
          SPEND_OUTPUT_SECONDS,
          SPEND_TENANT_KEY,
          SPEND_GLOBAL_CAP,
          SPEND_TENANT_CAPS,
          SPEND_ON_EXHAUSTED,
          SPEND_TENANT_MAX_IN_FLIGHT,
          SPEND_TENANT_TAGS,
          SPEND_READ_BACK_TIMEOUT,
          SHUTDOWN_GRACE);

  /** Finds a declared key by name. */
  public static java.util.Optional<ConfigKey<?>> byName(String name) {
    return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
  }

  private static ConfigKey<String> topic(String name, String def, String doc) {
    return key(name, ValueType.STRING)
        .group("topics")
        .defaultValue(def)
        .validator(Validator.topicName())
        .doc(doc)
        .build();
  }

  private static ConfigKey<String> path(String name, String def, String doc) {
    return key(name, ValueType.STRING)
        .group("provider")
        .defaultValue(def)
        .validator(Validator.matches("/[A-Za-z0-9/._-]*", "an absolute path starting with '/'"))
        .doc(doc)
        .build();
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
    return java.util.Collections.unmodifiableMap(g);
  }
}
