package io.renderrelay.serde;

import org.apache.kafka.common.serialization.Deserializer;

/** TEMP stand-in: the real Confluent wire-format deserializer lands from the serde branch. */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {
  public ConfluentAvroDeserializer() {}

  public ConfluentAvroDeserializer(SchemaRegistryClient c, boolean specificReader) {}

  @Override
  public T deserialize(String topic, byte[] data) {
    throw new UnsupportedOperationException("TEMP serde stand-in");
  }
}
