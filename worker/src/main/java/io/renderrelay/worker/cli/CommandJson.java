package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Builds a generated Avro record (a command) from plain JSON whose field names are the schema's:
 * unions are written as the bare value or null, timestamps as ISO-8601 text or epoch millis, and
 * fields with defaults may be left out. Unknown fields and missing required ones are errors that
 * name the field, so a typo never sends a half-empty command.
 */
final class CommandJson {

  /** The JSON does not make a valid record; the message names the field. */
  public static final class InvalidJson extends CliException {
    InvalidJson(String message) {
      super(message);
    }
  }

  private final Clock clock;

  public CommandJson(Clock clock) {
    this.clock = clock;
  }

  /** The record of class {@code type} (a generated class) that {@code json} describes. */
  public <T extends SpecificRecord> T read(JsonNode json, Class<T> type, Schema schema) {
    GenericRecord generic = (GenericRecord) convert(json, schema, "$");
    return toSpecific(generic, type, schema);
  }

  private Object convert(JsonNode json, Schema schema, String path) {
    return switch (schema.getType()) {
      case RECORD -> record(json, schema, path);
      case UNION -> union(json, schema, path);
      case MAP -> map(json, schema, path);
      case ARRAY -> array(json, schema, path);
      case STRING -> expect(json.isTextual(), json, "a string", path).asText();
      case BOOLEAN -> expect(json.isBoolean(), json, "true or false", path).asBoolean();
      case DOUBLE, FLOAT -> number(json, schema, path);
      case INT ->
          expect(json.canConvertToInt() && json.isIntegralNumber(), json, "an int", path).asInt();
      case LONG -> longValue(json, schema, path);
      case ENUM -> enumValue(json, schema, path);
      case NULL -> {
        expect(json.isNull(), json, "null", path);
        yield null;
      }
      default ->
          throw new InvalidJson(
              path + ": fields of type " + schema.getType() + " are not supported");
    };
  }

  private GenericRecord record(JsonNode json, Schema schema, String path) {
    expect(json.isObject(), json, "an object (" + schema.getName() + ")", path);
    GenericRecordBuilder b = new GenericRecordBuilder(schema);
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Schema.Field f = schema.getField(name);
      if (f == null) {
        List<String> known = schema.getFields().stream().map(Schema.Field::name).toList();
        throw new InvalidJson(
            path + ": unknown field '" + name + "' (" + schema.getName() + " has " + known + ")");
      }
      b.set(f, convert(json.get(name), f.schema(), path + "." + name));
    }
    List<String> missing = new ArrayList<>();
    for (Schema.Field f : schema.getFields()) {
      if (!json.has(f.name()) && !f.hasDefaultValue()) {
        missing.add(f.name());
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidJson(
          path
              + ": missing required field"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())
              + " of "
              + schema.getName());
    }
    return b.build();
  }

  private Object union(JsonNode json, Schema schema, String path) {
    if (json.isNull()) {
      if (schema.getTypes().stream().anyMatch(t -> t.getType() == Schema.Type.NULL)) {
        return null;
      }
      throw new InvalidJson(path + ": may not be null");
    }
    InvalidJson last = null;
    for (Schema branch : schema.getTypes()) {
      if (branch.getType() == Schema.Type.NULL) {
        continue;
      }
      try {
        return convert(json, branch, path);
      } catch (InvalidJson e) {
        last = e;
      }
    }
    throw last != null ? last : new InvalidJson(path + ": no union branch fits " + json);
  }

  private Map<String, Object> map(JsonNode json, Schema schema, String path) {
    expect(json.isObject(), json, "an object", path);
    Map<String, Object> m = new HashMap<>();
    json.fields()
        .forEachRemaining(
            e ->
                m.put(
                    e.getKey(),
                    convert(e.getValue(), schema.getValueType(), path + "." + e.getKey())));
    return m;
  }

  private List<Object> array(JsonNode json, Schema schema, String path) {
    expect(json.isArray(), json, "an array", path);
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < json.size(); i++) {
      out.add(convert(json.get(i), schema.getElementType(), path + "[" + i + "]"));
    }
    return out;
  }

  private Object number(JsonNode json, Schema schema, String path) {
    expect(json.isNumber(), json, "a number", path);
    return schema.getType() == Schema.Type.FLOAT
        ? (Object) json.floatValue()
        : (Object) json.doubleValue();
  }

  private long longValue(JsonNode json, Schema schema, String path) {
    boolean timestamp = schema.getLogicalType() instanceof LogicalTypes.TimestampMillis;
    if (timestamp && json.isTextual()) {
      try {
        return TimeSpec.future(json.asText(), clock).toEpochMilli();
      } catch (IllegalArgumentException e) {
        throw new InvalidJson(path + ": " + e.getMessage());
      }
    }
    expect(
        json.isIntegralNumber(),
        json,
        timestamp ? "a time (ISO-8601 text or epoch millis)" : "a long",
        path);
    return json.asLong();
  }

  private Object enumValue(JsonNode json, Schema schema, String path) {
    expect(
        json.isTextual() && schema.getEnumSymbols().contains(json.asText()),
        json,
        "one of " + schema.getEnumSymbols(),
        path);
    return new GenericData.EnumSymbol(schema, json.asText());
  }

  private static JsonNode expect(boolean ok, JsonNode json, String what, String path) {
    if (!ok) {
      throw new InvalidJson(path + ": expected " + what + ", got " + json);
    }
    return json;
  }

  private static <T extends SpecificRecord> T toSpecific(
      GenericRecord generic, Class<T> type, Schema schema) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
      new GenericDatumWriter<GenericRecord>(schema).write(generic, enc);
      enc.flush();
      return new SpecificDatumReader<>(type)
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    } catch (IOException | RuntimeException e) {
      throw new InvalidJson("cannot build " + schema.getName() + ": " + e.getMessage());
    }
  }
}
