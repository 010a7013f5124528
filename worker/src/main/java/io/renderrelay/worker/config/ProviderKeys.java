package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import io.renderrelay.worker.config.WorkerConfig.RateLimitScope;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Keys of the render provider: endpoint, credentials, paths, timeouts, rates. {@link
 * ConfigKeys#ALL} lists them with the others, in docs order.
 */
public final class ProviderKeys {
  private ProviderKeys() {}

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

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
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
          PROVIDER_CALLBACK_BASE_URL);

  private static ConfigKey<String> path(String name, String def, String doc) {
    return key(name, ValueType.STRING)
        .group("provider")
        .defaultValue(def)
        .validator(Validator.matches("/[A-Za-z0-9/._-]*", "an absolute path starting with '/'"))
        .doc(doc)
        .build();
  }
}
