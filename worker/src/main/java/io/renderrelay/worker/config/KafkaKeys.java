package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Keys of the Kafka connection, the topics, the poll schedule and the schema registry. {@link
 * ConfigKeys#ALL} lists them with the others, in docs order.
 */
public final class KafkaKeys {
  private KafkaKeys() {}

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
              "Finished renders of a job type the fleet completed (every replica's"
                  + " RenderCompleted events of the last 24 h on) needed before their quantiles"
                  + " schedule polls (first poll at the 95th percentile while callbacks"
                  + " arrive, else at the median, 75th, 90th, ... percentile); until then the"
                  + " prior, else the tiers. 0: never learn (and no events reader).")
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
                  RenderTimePrior.parse(v);
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

  /** The topic names of the worker's own topics (all but the poll tiers). */
  static final List<ConfigKey<String>> TOPICS =
      List.of(
          TOPIC_RESTYLE_COMMANDS,
          TOPIC_ACT_ONE_COMMANDS,
          TOPIC_EVENTS,
          TOPIC_DEAD_LETTER,
          TOPIC_JOBS,
          TOPIC_POLL_NOW,
          TOPIC_REPLICAS);

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      Stream.of(
              List.of(
                  KAFKA_BOOTSTRAP_SERVERS,
                  KAFKA_GROUP_ID,
                  KAFKA_TRANSACTIONAL_ID_PREFIX,
                  KAFKA_COMMIT_INTERVAL,
                  KAFKA_MAX_IN_FLIGHT_PER_PARTITION),
              TOPICS,
              List.of(
                  POLL_TIERS,
                  POLL_LEARNED_MIN_SAMPLES,
                  POLL_LEARNED_MAX_WAIT,
                  POLL_LEARNED_PRIOR,
                  REGISTRY_URL,
                  REGISTRY_BASIC_AUTH,
                  REGISTRY_BEARER_TOKEN))
          .<ConfigKey<?>>flatMap(List::stream)
          .toList();

  private static ConfigKey<String> topic(String name, String def, String doc) {
    return key(name, ValueType.STRING)
        .group("topics")
        .defaultValue(def)
        .validator(Validator.topicName())
        .doc(doc)
        .build();
  }
}
