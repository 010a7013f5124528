package io.renderrelay.worker.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A test stand-in for the registry-backed serde: the Confluent framing (magic 0, schema id, Avro
 * binary) with an in-memory id table, so tests need neither a registry nor the real serde.
 */
final class FakeAvroSerde {

  final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, Integer> ids = new HashMap<>();

  int register(Schema s) {
    return ids.computeIfAbsent(
        s.getFullName(),
        n -> {
          int id = byId.size() + 1;
          byId.put(id, s);
          return id;
        });
  }

  Serializer<Object> serializer() {
    return (topic, data) -> {
      Schema schema = ((GenericContainer) data).getSchema();
      int id = register(schema);
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<Object>(schema, SpecificData.getForSchema(schema)).write(data, enc);
        enc.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new SerializationException(e);
      }
    };
  }

  Deserializer<Object> deserializer(boolean specific) {
    return (topic, data) -> {
      if (data == null) {
        return null;
      }
      if (data.length < 5 || data[0] != 0) {
        throw new SerializationException("Unknown magic byte");
      }
      int id = ByteBuffer.wrap(data, 1, 4).getInt();
      Schema schema = byId.get(id);
      if (schema == null) {
        throw new SerializationException("schema id " + id + " is not in the registry");
      }
      try {
        var reader =
            specific
                ? new SpecificDatumReader<Object>(schema, schema, SpecificData.getForSchema(schema))
                : new GenericDatumReader<Object>(schema);
        return reader.read(
            null, DecoderFactory.get().binaryDecoder(data, 5, data.length - 5, null));
      } catch (IOException e) {
        throw new SerializationException("cannot read Avro: " + e.getMessage(), e);
      }
    };
  }
}
