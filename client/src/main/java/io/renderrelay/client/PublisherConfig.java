package io.renderrelay.client;

import io.renderrelay.client.validation.ValidationRules;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a {@link RenderCommandPublisher} needs. Build it with {@link #builder(String,
 * RegistrySettings)}. {@link #toString()} never shows secrets.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registry schema registry location and credentials
 * @param restyleTopic topic of restyle commands (default {@link Topics#RESTYLE_COMMANDS})
 * @param actOneTopic topic of act-one commands (default {@link Topics#ACT_ONE_COMMANDS})
 * @param producerOverrides extra producer properties (security, linger, ...); applied over the
 *     defaults, except the serializers which are always the client's own
 * @param transactionalId when present the producer is transactional
 * @param autoRegisterSchemas register the command schemas on first use (default false: the schemas
 *     are registered by the deployment, see docs/schema-evolution.md)
 * @param validationRules the rules checked before anything is sent
 */
public record PublisherConfig(
    String bootstrapServers,
    RegistrySettings registry,
    String restyleTopic,
    String actOneTopic,
    Map<String, String> producerOverrides,
    Optional<String> transactionalId,
    boolean autoRegisterSchemas,
    ValidationRules validationRules) {

  /** Checks and copies the components. */
  public PublisherConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(restyleTopic, "restyleTopic");
    Objects.requireNonNull(actOneTopic, "actOneTopic");
    producerOverrides = Map.copyOf(producerOverrides);
    Objects.requireNonNull(transactionalId, "transactionalId");
    Objects.requireNonNull(validationRules, "validationRules");
  }

  /** Starts a builder with the default topics, idempotent (non-transactional) producer. */
  public static Builder builder(String bootstrapServers, RegistrySettings registry) {
    return new Builder(bootstrapServers, registry);
  }

  @Override
  public String toString() {
    return "PublisherConfig[bootstrapServers="
        + bootstrapServers
        + ", registry="
        + registry
        + ", restyleTopic="
        + restyleTopic
        + ", actOneTopic="
        + actOneTopic
        + ", producerOverrides="
        + Redact.props(producerOverrides)
        + ", transactionalId="
        + transactionalId.orElse("none")
        + ", autoRegisterSchemas="
        + autoRegisterSchemas
        + "]";
  }

  /** Mutable builder of {@link PublisherConfig}. */
  public static final class Builder {
    private final String bootstrapServers;
    private final RegistrySettings registry;
    private String restyleTopic = Topics.RESTYLE_COMMANDS;
    private String actOneTopic = Topics.ACT_ONE_COMMANDS;
    private Map<String, String> producerOverrides = Map.of();
    private Optional<String> transactionalId = Optional.empty();
    private boolean autoRegisterSchemas = false;
    private ValidationRules validationRules = ValidationRules.defaults();

    private Builder(String bootstrapServers, RegistrySettings registry) {
      this.bootstrapServers = bootstrapServers;
      this.registry = registry;
    }

    /** Overrides the restyle command topic. */
    public Builder restyleTopic(String topic) {
      this.restyleTopic = topic;
      return this;
    }

    /** Overrides the act-one command topic. */
    public Builder actOneTopic(String topic) {
      this.actOneTopic = topic;
      return this;
    }

    /** Sets extra producer properties. */
    public Builder producerOverrides(Map<String, String> overrides) {
      this.producerOverrides = overrides;
      return this;
    }

    /** Makes the producer transactional with this id (unique per producing instance). */
    public Builder transactionalId(String id) {
      this.transactionalId = Optional.of(id);
      return this;
    }

    /** Registers schemas on first use (for development; off by default). */
    public Builder autoRegisterSchemas(boolean on) {
      this.autoRegisterSchemas = on;
      return this;
    }

    /** Sets the rules checked before sending (default {@link ValidationRules#defaults()}). */
    public Builder validationRules(ValidationRules rules) {
      this.validationRules = rules;
      return this;
    }

    /** Builds the configuration. */
    public PublisherConfig build() {
      return new PublisherConfig(
          bootstrapServers,
          registry,
          restyleTopic,
          actOneTopic,
          producerOverrides,
          transactionalId,
          autoRegisterSchemas,
          validationRules);
    }
  }
}
