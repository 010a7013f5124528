package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes a record value for people: Confluent-framed Avro (magic byte 0, 4-byte schema id, Avro
 * binary) through the registry-backed deserializer into JSON; anything else is shown as bytes with
 * the reason it does not decode.
 */
final class ValueDecoder {

  private static final int HEX_PREVIEW = 256;

  /** A decoded (or not) value. */
  public sealed interface Decoded {
    /** Plain map for JSON output. */
    Map<String, Object> toMap();

    /** No value (a tombstone). */
    record Null() implements Decoded {
      @Override
      public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decoded", false);
        m.put("why", "the record has no value");
        return m;
      }
    }

    /** Avro, as JSON. */
    record Avro(int schemaId, String schemaName, JsonNode json) implements Decoded {
      @Override
      public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decoded", true);
        m.put("schemaId", schemaId);
        m.put("schema", schemaName);
        m.put("json", json);
        return m;
      }
    }

    /** Bytes that did not decode, and why. */
    record Raw(String why, byte[] bytes) implements Decoded {
      @Override
      public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("decoded", false);
        m.put("why", why);
        m.put("size", bytes.length);
        Bytes.text(bytes).ifPresent(t -> m.put("text", t));
        m.put("hex", Bytes.hex(bytes, HEX_PREVIEW));
        m.put("base64", Base64.getEncoder().encodeToString(bytes));
        return m;
      }
    }
  }

  private final Optional<Deserializer<Object>> deserializer;

  /**
   * @param deserializer empty when no registry is configured
   */
  public ValueDecoder(Optional<Deserializer<Object>> deserializer) {
    this.deserializer = deserializer;
  }

  public Decoded decode(String topic, Headers headers, byte[] value) {
    if (value == null) {
      return new Decoded.Null();
    }
    if (value.length < 5) {
      return new Decoded.Raw(
          "only " + value.length + " bytes: a Confluent-framed Avro value has at least 5", value);
    }
    if (value[0] != 0) {
      return new Decoded.Raw(
          String.format(
              "not Confluent-framed Avro: the first byte is 0x%02x, not the magic byte 0x00",
              value[0] & 0xff),
          value);
    }
    int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
    if (deserializer.isEmpty()) {
      return new Decoded.Raw(
          "Confluent-framed Avro with schema id "
              + schemaId
              + ", but no --registry-url was given to fetch the schema",
          value);
    }
    try {
      Object decoded = deserializer.get().deserialize(topic, headers, value);
      String name =
          decoded instanceof GenericContainer c ? c.getSchema().getFullName() : typeName(decoded);
      return new Decoded.Avro(schemaId, name, AvroJson.toJson(decoded));
    } catch (RuntimeException e) {
      return new Decoded.Raw(
          "schema id " + schemaId + " does not decode: " + e.getMessage(), value);
    }
  }

  private static String typeName(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }
}
