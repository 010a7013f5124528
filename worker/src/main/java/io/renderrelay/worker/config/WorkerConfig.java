package io.renderrelay.worker.config;

import io.renderrelay.avro.JobType;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The worker's whole configuration, typed. Built only from the declared keys in {@code ConfigKeys}
 * (each with type, default, validator and doc); docs/configuration.md is generated from those
 * declarations.
 */
public record WorkerConfig(
    KafkaSettings kafka,
    RegistrySettings registry,
    ProviderSettings provider,
    StorageSettings storage,
    JobSettings jobs,
    HttpSettings http,
    Duration shutdownGrace,
    InstanceSettings instance,
    TracingSettings tracing,
    LedgerSettings ledger,
    PreflightSettings preflight,
    SpendSettings spend,
    PollPlanSettings pollPlan) {

  /**
   * How scheduled polls learn from observed render times (issue 15).
   *
   * @param minSamples renders of a type seen before its quantiles are used (0: never)
   * @param maxWait longest wait before one scheduled poll
   * @param priors render times expected per job type until then (none: the tiers)
   */
  public record PollPlanSettings(
      int minSamples, Duration maxWait, Map<JobType, RenderTimePrior> priors) {}

  /**
   * OpenTelemetry tracing (issue 17).
   *
   * @param otlpEnabled export spans to {@code otlpEndpoint}
   * @param otlpHeaders extra headers of every export request (credentials), if any
   * @param sampleRatio share of new traces sampled
   */
  public record TracingSettings(
      boolean otlpEnabled, URI otlpEndpoint, Optional<Secret> otlpHeaders, double sampleRatio) {}

  /**
   * The job ledger.
   *
   * @param writeSchemaVersion released schema version internal records are written with; empty: the
   *     current one
   * @param dedupeHorizon how long after a job ended its entry is kept (then tombstoned)
   * @param expiryInterval how often the local ledger is scanned for expired entries
   * @param expiryBatch most tombstones per scan and partition
   */
  public record LedgerSettings(
      Optional<String> writeSchemaVersion,
      Duration dedupeHorizon,
      Duration expiryInterval,
      int expiryBatch) {}

  /**
   * The optional check of a job's input URLs before its submit intent (issue 14): reachable, type,
   * size, and 16:9 for act-one.
   *
   * @param enabled run the check at all
   * @param timeout connect and read timeout of each ranged GET
   * @param maxInputBytes largest input the provider takes; larger ones fail the job
   * @param maxReadBytes most bytes read from one input to find its header
   * @param ratioTolerance relative tolerance of the 16:9 rule (0.01 = 1 %)
   * @param maxAttempts checks of a job whose inputs fail transiently before it goes on unchecked
   * @param followRedirects follow up to 3 redirects (the provider wants sources without any)
   */
  public record PreflightSettings(
      boolean enabled,
      Duration timeout,
      long maxInputBytes,
      long maxReadBytes,
      double ratioTolerance,
      int maxAttempts,
      boolean followRedirects) {}

  /** Kafka connection, topics and the delay tiers. */
  public record KafkaSettings(
      String bootstrapServers,
      Map<String, String> clientOverrides,
      String groupId,
      String transactionalIdPrefix,
      Topics topics,
      List<PollTier> pollTiers,
      Duration commitInterval,
      int maxInFlightPerPartition) {}

  /**
   * Topic names; every one configurable.
   *
   * @param pollNow the zero-delay "poll now" topic a provider callback is turned into
   */
  public record Topics(
      String restyleCommands,
      String actOneCommands,
      String events,
      String deadLetter,
      String jobs,
      String pollNow,
      String replicas) {

    /** The default "poll now" topic name. */
    public static final String DEFAULT_POLL_NOW = "render.poll.now";

    /** The default replica directory topic name. */
    public static final String DEFAULT_REPLICAS = "render.replicas";

    /** Without a replica directory topic name: uses {@link #DEFAULT_REPLICAS}. */
    public Topics(
        String restyleCommands,
        String actOneCommands,
        String events,
        String deadLetter,
        String jobs,
        String pollNow) {
      this(restyleCommands, actOneCommands, events, deadLetter, jobs, pollNow, DEFAULT_REPLICAS);
    }

    /** Without a poll-now topic name: uses {@link #DEFAULT_POLL_NOW}. */
    public Topics(
        String restyleCommands,
        String actOneCommands,
        String events,
        String deadLetter,
        String jobs) {
      this(restyleCommands, actOneCommands, events, deadLetter, jobs, DEFAULT_POLL_NOW);
    }
  }

  /**
   * One fixed-delay poll topic.
   *
   * @param attempts how many consecutive polls use this tier before the next one (the last tier
   *     repeats until the deadline)
   */
  public record PollTier(String topic, Duration delay, int attempts) {}

  /** Schema registry access. */
  public record RegistrySettings(
      String url, Optional<String> basicAuthUserInfo, Optional<Secret> bearerToken) {

    /** The registry client's settings: the URL(s) and the basic auth or bearer token. */
    public io.renderrelay.serde.RegistryClientConfig clientConfig() {
      var config = io.renderrelay.serde.RegistryClientConfig.of(url);
      if (basicAuthUserInfo.isPresent()) {
        config = config.withBasicAuth(basicAuthUserInfo.get());
      }
      if (bearerToken.isPresent()) {
        config = config.withBearerToken(bearerToken.get().reveal());
      }
      return config;
    }
  }

  /** The provider's HTTP API, its limits and the callback address it is given. */
  public record ProviderSettings(
      URI baseUrl,
      Secret apiKey,
      Optional<String> versionHeader,
      String restylePath,
      String actOnePath,
      String feedPath,
      Duration connectTimeout,
      Duration requestTimeout,
      double submitsPerSecond,
      double pollsPerSecond,
      int maxTasksInFlight,
      int maxResubmits,
      Duration taskNotFoundGrace,
      URI callbackBaseUrl) {}

  /** The S3 target and the output download rules. */
  public record StorageSettings(
      Optional<URI> endpoint,
      String region,
      String bucket,
      String rootPrefix,
      boolean pathStyle,
      Optional<String> accessKeyId,
      Optional<Secret> secretAccessKey,
      long partSizeBytes,
      long maxOutputBytes,
      Set<String> allowedOutputHosts,
      boolean allowInsecureOutputs,
      Duration downloadTimeout,
      int maxCopyAttempts) {}

  /**
   * Job rules.
   *
   * @param strictInputUrls production input URL rules even in dev mode
   */
  public record JobSettings(
      Duration defaultDeadline,
      AmbiguousPolicy ambiguousPolicy,
      Duration unresolvedSubmitWait,
      int maxPromptLength,
      boolean devMode,
      boolean strictInputUrls) {}

  /** The worker's HTTP listeners: public callbacks on one port, probes and metrics on another. */
  public record HttpSettings(
      String bindAddress,
      int port,
      int managementPort,
      int maxCallbackBytes,
      double callbacksPerSecond,
      HttpLimits limits,
      Optional<URI> advertisedUrl) {

    /** Without an advertised URL: derived from the bound management address. */
    public HttpSettings(
        String bindAddress,
        int port,
        int managementPort,
        int maxCallbackBytes,
        double callbacksPerSecond,
        HttpLimits limits) {
      this(
          bindAddress,
          port,
          managementPort,
          maxCallbackBytes,
          callbacksPerSecond,
          limits,
          Optional.empty());
    }
  }

  /**
   * What a client may hold of a listener: the time to send a request (and take its response), the
   * idle time of a kept-alive connection, and the open connections.
   */
  public record HttpLimits(Duration requestTimeout, Duration idleTimeout, int maxConnections) {

    /** The limits' declared defaults ({@code http.request-timeout} and the two after it). */
    public static HttpLimits defaults() {
      return new HttpLimits(
          HttpKeys.HTTP_REQUEST_TIMEOUT.parsedDefault(),
          HttpKeys.HTTP_IDLE_TIMEOUT.parsedDefault(),
          HttpKeys.HTTP_MAX_CONNECTIONS.parsedDefault());
    }
  }

  /**
   * This replica and the topics it creates.
   *
   * @param instanceId stable per replica (pod name): part of the transactional id, so a restarted
   *     replica fences its previous incarnation
   * @param partitions partition count of topics the worker creates (commands, tiers, ledger)
   * @param replicationFactor of created topics; -1 = the broker's default
   * @param ledgerDir where the local ledger store lives (restored at start, from its checkpoint
   *     when it has one)
   * @param callbackSecret HMAC key of the callback tokens, shared by all replicas
   * @param submitRetryDelay wait before a submit the provider refused transiently is tried again
   * @param rateLimitScope whether the provider rates are per replica or a shared budget
   * @param submissionProbeInterval while submissions are stopped, how often one probe submit goes
   */
  public record InstanceSettings(
      String instanceId,
      int partitions,
      short replicationFactor,
      String ledgerDir,
      Secret callbackSecret,
      boolean autoRegisterSchemas,
      Duration submitRetryDelay,
      RateLimitScope rateLimitScope,
      Duration submissionProbeInterval) {}

  /** Whether the provider rate limits are per replica or a budget shared by partition. */
  public enum RateLimitScope {
    PROCESS,
    PARTITION_SHARE
  }

  /** What to do with a job found with a committed intent and no task id. */
  public enum AmbiguousPolicy {
    /** Fail it (RenderFailed AMBIGUOUS_SUBMIT) and copy it to the DLT: the default. */
    FAIL,
    /** Resubmit it, accepting a possible second payment. Never the default. */
    RESUBMIT
  }
}
