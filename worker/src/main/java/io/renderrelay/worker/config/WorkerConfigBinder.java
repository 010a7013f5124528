package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.HttpKeys.*;
import static io.renderrelay.worker.config.InstanceKeys.*;
import static io.renderrelay.worker.config.JobKeys.*;
import static io.renderrelay.worker.config.KafkaKeys.*;
import static io.renderrelay.worker.config.ProviderKeys.*;
import static io.renderrelay.worker.config.SpendKeys.*;
import static io.renderrelay.worker.config.StorageKeys.*;
import static io.renderrelay.worker.config.TracingKeys.*;

import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.config.WorkerConfig.InstanceSettings;
import io.renderrelay.worker.config.WorkerConfig.JobSettings;
import io.renderrelay.worker.config.WorkerConfig.KafkaSettings;
import io.renderrelay.worker.config.WorkerConfig.ProviderSettings;
import io.renderrelay.worker.config.WorkerConfig.RegistrySettings;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import java.util.Map;
import java.util.Set;

/** Builds the typed {@link WorkerConfig} from validated values. */
final class WorkerConfigBinder {
  private WorkerConfigBinder() {}

  static KafkaSettings kafka(ConfigValues v, Map<String, String> kafkaClient) {
    Topics topics =
        new Topics(
            v.get(TOPIC_RESTYLE_COMMANDS),
            v.get(TOPIC_ACT_ONE_COMMANDS),
            v.get(TOPIC_EVENTS),
            v.get(TOPIC_DEAD_LETTER),
            v.get(TOPIC_JOBS),
            v.get(TOPIC_POLL_NOW),
            v.get(TOPIC_REPLICAS));
    return new KafkaSettings(
        String.join(",", v.get(KAFKA_BOOTSTRAP_SERVERS)),
        Map.copyOf(kafkaClient),
        v.get(KAFKA_GROUP_ID),
        v.get(KAFKA_TRANSACTIONAL_ID_PREFIX),
        topics,
        v.get(POLL_TIERS),
        v.get(KAFKA_COMMIT_INTERVAL),
        v.get(KAFKA_MAX_IN_FLIGHT_PER_PARTITION));
  }

  static RegistrySettings registry(ConfigValues v) {
    return new RegistrySettings(
        v.get(REGISTRY_URL).toString(),
        v.optional(REGISTRY_BASIC_AUTH),
        v.optional(REGISTRY_BEARER_TOKEN));
  }

  static WorkerConfig bind(ConfigValues v, Map<String, String> kafkaClient) {
    KafkaSettings kafka = kafka(v, kafkaClient);
    RegistrySettings registry = registry(v);
    ProviderSettings provider =
        new ProviderSettings(
            v.get(PROVIDER_BASE_URL),
            v.get(PROVIDER_API_KEY),
            v.optional(PROVIDER_VERSION_HEADER),
            v.get(PROVIDER_RESTYLE_PATH),
            v.get(PROVIDER_ACT_ONE_PATH),
            v.get(PROVIDER_FEED_PATH),
            v.get(PROVIDER_CONNECT_TIMEOUT),
            v.get(PROVIDER_REQUEST_TIMEOUT),
            v.get(PROVIDER_SUBMITS_PER_SECOND),
            v.get(PROVIDER_POLLS_PER_SECOND),
            v.get(PROVIDER_MAX_TASKS_IN_FLIGHT),
            v.get(PROVIDER_MAX_RESUBMITS),
            v.get(PROVIDER_TASK_NOT_FOUND_GRACE),
            v.get(PROVIDER_CALLBACK_BASE_URL));
    StorageSettings storage =
        new StorageSettings(
            v.optional(STORAGE_ENDPOINT),
            v.get(STORAGE_REGION),
            v.get(STORAGE_BUCKET),
            v.get(STORAGE_ROOT_PREFIX),
            v.get(STORAGE_PATH_STYLE),
            v.optional(STORAGE_ACCESS_KEY_ID),
            v.optional(STORAGE_SECRET_ACCESS_KEY),
            v.get(STORAGE_PART_SIZE),
            v.get(STORAGE_MAX_OUTPUT_BYTES),
            Set.copyOf(v.optional(STORAGE_ALLOWED_OUTPUT_HOSTS).orElse(Set.of())),
            v.get(STORAGE_ALLOW_INSECURE_OUTPUTS),
            v.get(STORAGE_DOWNLOAD_TIMEOUT),
            v.get(STORAGE_MAX_COPY_ATTEMPTS));
    JobSettings jobs =
        new JobSettings(
            v.get(JOBS_DEFAULT_DEADLINE),
            v.get(JOBS_AMBIGUOUS_POLICY),
            v.get(JOBS_UNRESOLVED_SUBMIT_WAIT),
            v.get(JOBS_MAX_PROMPT_LENGTH),
            v.get(JOBS_DEV_MODE),
            v.get(JOBS_STRICT_INPUT_URLS));
    HttpSettings http =
        new HttpSettings(
            v.get(HTTP_BIND_ADDRESS),
            v.get(HTTP_PORT),
            v.get(HTTP_MANAGEMENT_PORT),
            Math.toIntExact(v.get(HTTP_MAX_CALLBACK_BYTES)),
            v.get(HTTP_CALLBACKS_PER_SECOND),
            new HttpLimits(
                v.get(HTTP_REQUEST_TIMEOUT), v.get(HTTP_IDLE_TIMEOUT), v.get(HTTP_MAX_CONNECTIONS)),
            v.optional(HTTP_ADVERTISED_URL));
    InstanceSettings instance =
        new InstanceSettings(
            v.optional(INSTANCE_ID).orElseGet(WorkerConfigBinder::hostName),
            v.get(INSTANCE_PARTITIONS),
            v.get(INSTANCE_REPLICATION_FACTOR).shortValue(),
            v.optional(INSTANCE_LEDGER_DIR)
                .orElse(System.getProperty("java.io.tmpdir") + "/render-relay-ledger"),
            v.get(INSTANCE_CALLBACK_SECRET),
            v.get(INSTANCE_AUTO_REGISTER_SCHEMAS),
            v.get(INSTANCE_SUBMIT_RETRY_DELAY),
            v.get(PROVIDER_RATE_LIMIT_SCOPE),
            v.get(INSTANCE_SUBMISSION_PROBE_INTERVAL));
    WorkerConfig.TracingSettings tracing =
        new WorkerConfig.TracingSettings(
            v.get(TRACING_OTLP_ENABLED),
            v.get(TRACING_OTLP_ENDPOINT),
            v.optional(TRACING_OTLP_HEADERS),
            v.get(TRACING_SAMPLE_RATIO));
    WorkerConfig.LedgerSettings ledger =
        new WorkerConfig.LedgerSettings(
            v.optional(LEDGER_WRITE_SCHEMA_VERSION),
            v.get(LEDGER_DEDUPE_HORIZON),
            v.get(LEDGER_EXPIRY_INTERVAL),
            v.get(LEDGER_EXPIRY_BATCH));
    WorkerConfig.PreflightSettings preflight =
        new WorkerConfig.PreflightSettings(
            v.get(PREFLIGHT_ENABLED),
            v.get(PREFLIGHT_TIMEOUT),
            v.get(PREFLIGHT_MAX_INPUT_BYTES),
            v.get(PREFLIGHT_MAX_READ_BYTES),
            v.get(PREFLIGHT_RATIO_TOLERANCE),
            v.get(PREFLIGHT_MAX_ATTEMPTS),
            v.get(PREFLIGHT_FOLLOW_REDIRECTS));
    return new WorkerConfig(
        kafka,
        registry,
        provider,
        storage,
        jobs,
        http,
        v.get(SHUTDOWN_GRACE),
        instance,
        tracing,
        ledger,
        preflight,
        spend(v),
        new WorkerConfig.PollPlanSettings(
            v.get(POLL_LEARNED_MIN_SAMPLES),
            v.get(POLL_LEARNED_MAX_WAIT),
            RenderTimePrior.parse(v.optional(POLL_LEARNED_PRIOR).orElse(""))));
  }

  static SpendSettings spend(ConfigValues v) {
    return new SpendSettings(
        v.get(SPEND_ENABLED),
        v.get(SPEND_TOPIC),
        v.get(SPEND_CURRENCY),
        v.get(SPEND_PRICES),
        v.get(SPEND_OUTPUT_SECONDS),
        v.get(SPEND_TENANT_KEY),
        v.optional(SPEND_GLOBAL_CAP),
        v.get(SPEND_TENANT_CAPS),
        v.get(SPEND_ON_EXHAUSTED),
        v.get(SPEND_TENANT_MAX_IN_FLIGHT),
        v.get(SPEND_TENANT_TAGS),
        v.get(SPEND_READ_BACK_TIMEOUT));
  }

  private static String hostName() {
    String h = System.getenv("HOSTNAME");
    if (h == null || h.isBlank()) {
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        h = "render-relay";
      }
    }
    return h.replaceAll("[^A-Za-z0-9._-]", "-");
  }
}
