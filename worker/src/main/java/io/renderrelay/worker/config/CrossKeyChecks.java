package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.HttpKeys.*;
import static io.renderrelay.worker.config.JobKeys.*;
import static io.renderrelay.worker.config.KafkaKeys.*;
import static io.renderrelay.worker.config.ProviderKeys.*;
import static io.renderrelay.worker.config.SpendKeys.*;
import static io.renderrelay.worker.config.StorageKeys.*;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Rules that span several keys. Each runs only when the keys it reads are individually valid. */
final class CrossKeyChecks {
  private final ConfigValues v;
  private final List<ConfigProblem> problems = new ArrayList<>();

  private CrossKeyChecks(ConfigValues v) {
    this.v = v;
  }

  static List<ConfigProblem> check(ConfigValues values) {
    CrossKeyChecks c = new CrossKeyChecks(values);
    c.tiers();
    c.distinctTopics();
    c.secureUrls();
    c.storage();
    c.registryAuth();
    c.deadline();
    c.ports();
    c.spend();
    return c.problems;
  }

  private void ports() {
    Integer callbacks = v.get(HTTP_PORT);
    Integer management = v.get(HTTP_MANAGEMENT_PORT);
    if (callbacks != null && callbacks != 0 && callbacks.equals(management)) {
      problem(HTTP_MANAGEMENT_PORT, "must differ from http.port (the public callback port)");
    }
  }

  /** Caps and in-flight limits are enforced through the spend journal: they need it on. */
  private void spend() {
    if (Boolean.TRUE.equals(v.get(SPEND_ENABLED))) {
      return;
    }
    String off = "needs spend.enabled=true (caps are enforced through the spend journal)";
    if (v.optional(SPEND_GLOBAL_CAP).isPresent()) {
      problem(SPEND_GLOBAL_CAP, off);
    }
    Map<String, SpendSettings.Cap> caps = v.get(SPEND_TENANT_CAPS);
    if (caps != null && !caps.isEmpty()) {
      problem(SPEND_TENANT_CAPS, off);
    }
    Integer inFlight = v.get(SPEND_TENANT_MAX_IN_FLIGHT);
    if (inFlight != null && inFlight > 0) {
      problem(SPEND_TENANT_MAX_IN_FLIGHT, off);
    }
  }

  /**
   * The overspend bound takes a reservation still unread after {@code spend.read-back-timeout} for
   * aborted: the producers' transaction timeout (60 s, or {@code
   * kafka.client.transaction.timeout.ms}) must end every open transaction before that.
   */
  static List<ConfigProblem> spendReadBack(ConfigValues v, Map<String, String> client) {
    Duration readBack = v.get(SPEND_READ_BACK_TIMEOUT);
    if (!Boolean.TRUE.equals(v.get(SPEND_ENABLED)) || readBack == null) {
      return List.of();
    }
    Duration tx = Duration.ofMillis(KafkaClientProperties.DEFAULT_TRANSACTION_TIMEOUT_MS);
    try {
      String set = client.get("transaction.timeout.ms");
      tx = set == null ? tx : Duration.ofMillis(Long.parseLong(set.strip()));
    } catch (NumberFormatException e) {
      return List.of(); // the Kafka client refuses it with its own message
    }
    if (readBack.compareTo(tx) > 0) {
      return List.of();
    }
    return List.of(
        new ConfigProblem(
            SPEND_READ_BACK_TIMEOUT.name(),
            Optional.empty(),
            "must be above the producers' transaction timeout ("
                + tx.toSeconds()
                + " s): a reservation unread by then may still commit, and the fleet would"
                + " overspend a cap by more than one task per replica"));
  }

  private void problem(ConfigKey<?> key, String reason) {
    problems.add(new ConfigProblem(key.name(), Optional.empty(), reason));
  }

  private void tiers() {
    List<PollTier> tiers = v.get(POLL_TIERS);
    if (tiers == null) {
      return;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < tiers.size(); i++) {
      PollTier t = tiers.get(i);
      boolean last = i == tiers.size() - 1;
      if (Validator.topicName().check(t.topic()).isPresent()) {
        problem(POLL_TIERS, "tier topic '" + t.topic() + "' is not a valid Kafka topic name");
      }
      if (!seen.add(t.topic())) {
        problem(POLL_TIERS, "tier topic '" + t.topic() + "' appears twice");
      }
      if (t.delay().isZero() || t.delay().compareTo(Duration.ofHours(1)) > 0) {
        problem(
            POLL_TIERS,
            "tier '"
                + t.topic()
                + "': delay must be above 0 and at most 1h"
                + " (callbacks use topics.poll-now for zero delay)");
      }
      if (t.attempts() < 0 || (!last && t.attempts() < 1)) {
        problem(
            POLL_TIERS,
            "tier '"
                + t.topic()
                + "': attempts must be >= 1 (only the last tier"
                + " may use 0, meaning 'repeat until the deadline')");
      }
    }
  }

  private void distinctTopics() {
    Map<String, String> owners = new LinkedHashMap<>();
    List<ConfigKey<String>> topicKeys = new ArrayList<>(KafkaKeys.TOPICS);
    topicKeys.add(SPEND_TOPIC);
    for (ConfigKey<String> key : topicKeys) {
      String topic = v.get(key);
      if (topic != null) {
        claim(owners, topic, key.name());
      }
    }
    List<PollTier> tiers = v.get(POLL_TIERS);
    if (tiers != null) {
      new HashSet<>(tiers.stream().map(PollTier::topic).toList())
          .forEach(t -> claim(owners, t, POLL_TIERS.name()));
    }
  }

  private void claim(Map<String, String> owners, String topic, String key) {
    String previous = owners.putIfAbsent(topic, key);
    if (previous != null) {
      problems.add(
          new ConfigProblem(
              key,
              Optional.of(topic),
              "topic is also used by " + previous + "; every topic must be distinct"));
    }
  }

  private void secureUrls() {
    Boolean dev = v.get(JOBS_DEV_MODE);
    if (dev == null || dev) {
      return;
    }
    for (ConfigKey<URI> key : List.of(PROVIDER_BASE_URL, PROVIDER_CALLBACK_BASE_URL)) {
      URI uri = v.get(key);
      if (uri != null && !"https".equals(uri.getScheme().toLowerCase(Locale.ROOT))) {
        problem(key, "must be https (http is allowed only with jobs.dev-mode=true)");
      }
    }
    if (Boolean.TRUE.equals(v.get(STORAGE_ALLOW_INSECURE_OUTPUTS))) {
      problem(STORAGE_ALLOW_INSECURE_OUTPUTS, "may be true only with jobs.dev-mode=true");
    }
  }

  private void storage() {
    if (v.has(STORAGE_ACCESS_KEY_ID) != v.has(STORAGE_SECRET_ACCESS_KEY)) {
      problem(
          STORAGE_SECRET_ACCESS_KEY,
          "storage.access-key-id and storage.secret-access-key"
              + " are set together or not at all");
    }
    Long part = v.get(STORAGE_PART_SIZE);
    Long max = v.get(STORAGE_MAX_OUTPUT_BYTES);
    if (part != null && part < (5L << 20)) {
      problem(STORAGE_PART_SIZE, "must be at least 5MiB (the S3 multipart minimum)");
    }
    if (part != null && max != null && max / part > 10_000) {
      problem(
          STORAGE_PART_SIZE,
          "storage.max-output-bytes / storage.part-size exceeds the"
              + " S3 limit of 10000 parts; raise the part size");
    }
  }

  private void registryAuth() {
    if (v.has(REGISTRY_BASIC_AUTH) && v.has(REGISTRY_BEARER_TOKEN)) {
      problem(
          REGISTRY_BEARER_TOKEN,
          "set either registry.basic-auth-user-info or" + " registry.bearer-token, not both");
    }
  }

  private void deadline() {
    Duration deadline = v.get(JOBS_DEFAULT_DEADLINE);
    Duration grace = v.get(PROVIDER_TASK_NOT_FOUND_GRACE);
    if (deadline != null && grace != null && grace.compareTo(deadline) >= 0) {
      problem(PROVIDER_TASK_NOT_FOUND_GRACE, "must be shorter than jobs.default-deadline");
    }
    List<PollTier> tiers = v.get(POLL_TIERS);
    if (deadline != null && tiers != null) {
      for (PollTier t : tiers) {
        if (t.delay().compareTo(deadline) >= 0) {
          problem(
              POLL_TIERS,
              "tier '" + t.topic() + "': delay must be shorter than" + " jobs.default-deadline");
        }
      }
    }
  }
}
