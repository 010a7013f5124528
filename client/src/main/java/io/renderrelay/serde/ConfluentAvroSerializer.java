package io.renderrelay.serde;

import org.apache.kafka.common.serialization.Serializer;

/** TEMP stand-in: the real Confluent wire-format serializer lands from the serde branch. */
public final class ConfluentAvroSerializer<T> implements Serializer<T> {
  public ConfluentAvroSerializer() {}

  public ConfluentAvroSerializer(
      SchemaRegistryClient c, SubjectNameStrategy s, boolean autoRegister, boolean isKey) {}

  @Override
  public byte[] serialize(String topic, T data) {
    throw new UnsupportedOperationException("TEMP serde stand-in");
  }
}
