package io.renderrelay.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link RenderEventListener} needs. Build it with {@link #builder(String,
 * RegistrySettings, String)}. {@link #toString()} never shows secrets.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registry schema registry location and credentials
 * @param groupId the consumer group of the downstream service
 * @param eventsTopic topic of terminal events (default {@link Topics#EVENTS})
 * @param pollTimeout longest single {@code poll} (default 500 ms)
 * @param retryBackoff pause of a partition after its handler threw, before the record is delivered
 *     again (default 1 s)
 * @param autoOffsetReset where a new group starts: {@code earliest} (default) or {@code latest}
 * @param consumerOverrides extra consumer properties (security, fetch sizes, ...); may not change
 *     the isolation level, auto commit or the deserializers
 */
public record ListenerConfig(
    String bootstrapServers,
    RegistrySettings registry,
    String groupId,
    String eventsTopic,
    Duration pollTimeout,
    Duration retryBackoff,
    String autoOffsetReset,
    Map<String, String> consumerOverrides) {

  /** Checks and copies the components. */
  public ListenerConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("a listener needs a consumer group id");
    }
    Objects.requireNonNull(eventsTopic, "eventsTopic");
    if (pollTimeout.isNegative() || pollTimeout.isZero() || retryBackoff.isNegative()) {
      throw new IllegalArgumentException("pollTimeout must be > 0 and retryBackoff >= 0");
    }
    if (!autoOffsetReset.equals("earliest") && !autoOffsetReset.equals("latest")) {
      throw new IllegalArgumentException(
          "autoOffsetReset must be 'earliest' or 'latest': " + autoOffsetReset);
    }
    consumerOverrides = Map.copyOf(consumerOverrides);
  }

  /** Starts a builder with the defaults. */
  public static Builder builder(
      String bootstrapServers, RegistrySettings registry, String groupId) {
    return new Builder(bootstrapServers, registry, groupId);
  }

  @Override
  public String toString() {
    return "ListenerConfig[bootstrapServers="
        + bootstrapServers
        + ", registry="
        + registry
        + ", groupId="
        + groupId
        + ", eventsTopic="
        + eventsTopic
        + ", pollTimeout="
        + pollTimeout
        + ", retryBackoff="
        + retryBackoff
        + ", autoOffsetReset="
        + autoOffsetReset
        + ", consumerOverrides="
        + Redact.props(consumerOverrides)
        + "]";
  }

  /** Mutable builder of {@link ListenerConfig}. */
  public static final class Builder {
    private final String bootstrapServers;
    private final RegistrySettings registry;
    private final String groupId;
    private String eventsTopic = Topics.EVENTS;
    private Duration pollTimeout = Duration.ofMillis(500);
    private Duration retryBackoff = Duration.ofSeconds(1);
    private String autoOffsetReset = "earliest";
    private Map<String, String> consumerOverrides = Map.of();

    private Builder(String bootstrapServers, RegistrySettings registry, String groupId) {
      this.bootstrapServers = bootstrapServers;
      this.registry = registry;
      this.groupId = groupId;
    }

    /** Overrides the events topic. */
    public Builder eventsTopic(String topic) {
      this.eventsTopic = topic;
      return this;
    }

    /** Sets the longest single poll. */
    public Builder pollTimeout(Duration d) {
      this.pollTimeout = d;
      return this;
    }

    /** Sets the pause before a record whose handler threw is delivered again. */
    public Builder retryBackoff(Duration d) {
      this.retryBackoff = d;
      return this;
    }

    /** Sets where a new group starts reading ({@code earliest} or {@code latest}). */
    public Builder autoOffsetReset(String reset) {
      this.autoOffsetReset = reset;
      return this;
    }

    /** Sets extra consumer properties. */
    public Builder consumerOverrides(Map<String, String> overrides) {
      this.consumerOverrides = overrides;
      return this;
    }

    /** Builds the configuration. */
    public ListenerConfig build() {
      return new ListenerConfig(
          bootstrapServers,
          registry,
          groupId,
          eventsTopic,
          pollTimeout,
          retryBackoff,
          autoOffsetReset,
          consumerOverrides);
    }
  }
}
