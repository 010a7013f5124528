package io.renderrelay.worker.app;

import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.config.WorkerConfig.RegistrySettings;

/**
 * The one place the schema registry client and the Confluent-framed serializers are built. Events
 * use the topic-record subject strategy (two record types share render.events); commands use the
 * topic strategy, as upstream producers do.
 */
public final class SerdeFactory implements AutoCloseable {

  private final SchemaRegistryClient registry;
  private final boolean autoRegister;

  public SerdeFactory(RegistrySettings settings, boolean autoRegister) {
    this.autoRegister = autoRegister;
    this.registry = new HttpSchemaRegistryClient(settings.clientConfig());
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public ConfluentAvroSerializer<Object> eventSerializer() {
    return new ConfluentAvroSerializer<>(
        registry, SubjectNameStrategy.TOPIC_RECORD_NAME, autoRegister, false);
  }

  public ConfluentAvroSerializer<Object> commandSerializer() {
    return new ConfluentAvroSerializer<>(
        registry, SubjectNameStrategy.TOPIC_NAME, autoRegister, false);
  }

  public ConfluentAvroDeserializer<Object> commandDeserializer() {
    return new ConfluentAvroDeserializer<>(registry, true);
  }

  @Override
  public void close() {
    registry.close();
  }
}
