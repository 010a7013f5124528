package io.renderrelay.client;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Test-only stand-in for the registry-backed serde: the record's full name, a NUL byte, then the
 * Avro binary body. Real Avro encoding, no registry.
 */
final class FakeAvroSerde {

  private static final Map<String, Schema> KNOWN =
      Map.of(
          RestyleCommand.getClassSchema().getFullName(), RestyleCommand.getClassSchema(),
          ActOneCommand.getClassSchema().getFullName(), ActOneCommand.getClassSchema(),
          RenderCompleted.getClassSchema().getFullName(), RenderCompleted.getClassSchema(),
          RenderFailed.getClassSchema().getFullName(), RenderFailed.getClassSchema());

  private FakeAvroSerde() {}

  static final class Ser implements Serializer<SpecificRecord> {
    @Override
    public byte[] serialize(String topic, SpecificRecord data) {
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(data.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
        out.write(0);
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(data.getSchema()).write(data, enc);
        enc.flush();
        return out.toByteArray();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static final class De implements Deserializer<Object> {
    @Override
    public Object deserialize(String topic, byte[] data) {
      int nul = indexOfNul(data);
      Schema schema = KNOWN.get(new String(data, 0, nul, StandardCharsets.UTF_8));
      if (schema == null) {
        throw new SerializationException("unknown type in fake payload");
      }
      try {
        byte[] body = Arrays.copyOfRange(data, nul + 1, data.length);
        return new SpecificDatumReader<>(schema)
            .read(null, DecoderFactory.get().binaryDecoder(body, null));
      } catch (IOException e) {
        throw new SerializationException("bad fake payload", e);
      }
    }

    private static int indexOfNul(byte[] data) {
      for (int i = 0; i < data.length; i++) {
        if (data[i] == 0) {
          return i;
        }
      }
      throw new SerializationException("no type prefix in fake payload");
    }
  }
}
