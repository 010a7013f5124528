package io.renderrelay.client;

import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SubjectNameStrategy;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one factory for every Kafka client this module builds: the command publisher, the event
 * listener, and the raw producer, consumer and registry client beneath them. Commands are written
 * with subject strategy {@code TOPIC_NAME} (one type per command topic); events are read with a
 * specific Avro reader (the events topic holds two types under {@code TOPIC_RECORD_NAME} subjects).
 * Keys are job ids as UTF-8 strings.
 */
public final class RenderClients {

  private static final Set<String> FIXED_PRODUCER_KEYS =
      Set.of(
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
  private static final Set<String> FIXED_CONSUMER_KEYS =
      Set.of(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG);

  private final Clock clock;

  /**
   * Creates the factory.
   *
   * @param clock time source of {@code requestedAt}, validation and retry back-offs
   */
  public RenderClients(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Creates the factory on the system UTC clock. */
  public RenderClients() {
    this(Clock.systemUTC());
  }

  /** Builds a publisher with its own producer and registry client (closed with it). */
  public RenderCommandPublisher publisher(PublisherConfig config) {
    SchemaRegistryClient registry = registryClient(config.registry());
    try {
      Producer<String, SpecificRecord> producer = commandProducer(config, registry);
      return new RenderCommandPublisher(
          producer, config, clock, () -> UUID.randomUUID().toString(), registry);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Builds a listener with its own consumer and registry client; call {@code start()} on it. */
  public RenderEventListener listener(ListenerConfig config, RenderEventHandler handler) {
    SchemaRegistryClient registry = registryClient(config.registry());
    try {
      Consumer<String, Object> consumer = eventConsumer(config, registry);
      return new RenderEventListener(consumer, config, handler, clock, registry);
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Builds a registry client (HTTP, with caching and retries) from the settings. */
  public SchemaRegistryClient registryClient(RegistrySettings settings) {
    return new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(settings.toSerdeConfig()));
  }

  /**
   * Builds the raw command producer: String keys, Confluent-framed Avro values under {@code
   * TOPIC_NAME} subjects. It sends whatever it is given, without validation (for tests that need
   * invalid commands, or tools); prefer {@link #publisher(PublisherConfig)}.
   */
  public Producer<String, SpecificRecord> commandProducer(
      PublisherConfig config, SchemaRegistryClient registry) {
    return new KafkaProducer<>(
        producerProperties(config),
        new StringSerializer(),
        new ConfluentAvroSerializer<>(
            registry, SubjectNameStrategy.TOPIC_NAME, config.autoRegisterSchemas(), false));
  }

  /** Builds the raw read_committed event consumer with a specific Avro reader. */
  public Consumer<String, Object> eventConsumer(
      ListenerConfig config, SchemaRegistryClient registry) {
    return new KafkaConsumer<>(
        consumerProperties(config),
        new StringDeserializer(),
        new ConfluentAvroDeserializer<>(registry, true));
  }

  /**
   * The producer properties: idempotent, {@code acks=all}, transactional when configured, then the
   * overrides.
   *
   * @throws IllegalArgumentException when an override tries to set a serializer
   */
  public Map<String, Object> producerProperties(PublisherConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    config.transactionalId().ifPresent(id -> p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id));
    putOverrides(p, config.producerOverrides(), FIXED_PRODUCER_KEYS);
    return p;
  }

  /**
   * The consumer properties: {@code read_committed}, manual commits, the group id and offset reset,
   * then the overrides.
   *
   * @throws IllegalArgumentException when an override touches a key the listener's guarantees
   *     depend on (isolation level, auto commit, group id, deserializers)
   */
  public Map<String, Object> consumerProperties(ListenerConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.autoOffsetReset());
    putOverrides(p, config.consumerOverrides(), FIXED_CONSUMER_KEYS);
    return p;
  }

  private static void putOverrides(
      Map<String, Object> target, Map<String, String> overrides, Set<String> fixed) {
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      if (fixed.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "the client sets '" + e.getKey() + "' itself; remove it from the overrides");
      }
      target.put(e.getKey(), e.getValue());
    }
  }
}
