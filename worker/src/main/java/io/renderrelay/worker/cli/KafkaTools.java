package io.renderrelay.worker.cli;

import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.config.WorkerConfig.KafkaSettings;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.kafka.KafkaClientFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The CLI's real clients: Kafka clients from the worker's {@link KafkaClientFactory} (the same
 * read_committed consumer and idempotent producer settings, the worker's kafka.client.* properties
 * with the --command-config file's on top), and the schema registry client with the worker's
 * registry auth, made on first use and closed with this object.
 */
public final class KafkaTools implements ClientFactory {

  /** Fail fast when the broker is not there, unless --command-config says otherwise. */
  private static final Map<String, String> CLI_DEFAULTS =
      Map.of("default.api.timeout.ms", "20000", "request.timeout.ms", "15000");

  private final GlobalOptions options;
  private final KafkaClientFactory factory;
  private SchemaRegistryClient registry;

  public KafkaTools(GlobalOptions options) {
    this.options = options;
    Map<String, String> overrides = new HashMap<>(CLI_DEFAULTS);
    overrides.putAll(options.clientProperties());
    GlobalOptions.Topics t = options.topics();
    KafkaSettings settings =
        new KafkaSettings(
            options.bootstrapServers(),
            Map.copyOf(overrides),
            "render-relay-cli",
            "render-relay-cli",
            new Topics(t.restyle(), t.actOne(), t.events(), t.deadLetter(), "unused"),
            List.of(),
            Duration.ofSeconds(1),
            1);
    this.factory =
        new KafkaClientFactory(settings, "cli-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Override
  public Consumer<byte[], byte[]> consumer(String purpose) {
    return factory.assignedConsumer(purpose);
  }

  @Override
  public Producer<byte[], byte[]> producer(String purpose) {
    return factory.plainProducer(purpose);
  }

  @Override
  public Deserializer<Object> avroDeserializer(boolean specific) {
    return new ConfluentAvroDeserializer<>(registry(), specific);
  }

  @Override
  public Serializer<Object> avroSerializer() {
    return new ConfluentAvroSerializer<>(registry(), SubjectNameStrategy.TOPIC_NAME, true, false);
  }

  @Override
  public Map<TopicPartition, Long> committedOffsets(String group, Set<TopicPartition> partitions) {
    try (Admin admin = factory.admin()) {
      Map<TopicPartition, Long> out = new HashMap<>();
      admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS)
          .forEach(
              (tp, om) -> {
                if (om != null && partitions.contains(tp)) {
                  out.put(tp, om.offset());
                }
              });
      return out;
    } catch (ExecutionException | TimeoutException e) {
      throw new CliException("cannot read the committed offsets of group " + group + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while reading the offsets of group " + group, e);
    }
  }

  @Override
  public boolean hasRegistry() {
    return options.registryUrl().isPresent();
  }

  private SchemaRegistryClient registry() {
    if (registry == null) {
      if (options.registryUrl().isEmpty()) {
        throw new CliUsageException(
            "no schema registry: set RENDER_RELAY_REGISTRY_URL (or registry.url in --config)"
                + " or pass --registry-url");
      }
      registry = new HttpSchemaRegistryClient(options.registry().clientConfig());
    }
    return registry;
  }

  @Override
  public void close() {
    if (registry != null) {
      registry.close();
    }
  }
}
