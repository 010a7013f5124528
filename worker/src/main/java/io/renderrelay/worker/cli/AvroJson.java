package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro values as plain JSON for people and jq: unions unwrapped, timestamps as ISO-8601 text, bytes
 * as base64. (Avro's own JSON encoding wraps union branches, which nobody wants to read.)
 */
final class AvroJson {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AvroJson() {}

  public static JsonNode toJson(Object value) {
    return toJson(value, null);
  }

  private static JsonNode toJson(Object v, Schema schema) {
    if (v == null) {
      return F.nullNode();
    }
    if (v instanceof IndexedRecord r) {
      ObjectNode o = F.objectNode();
      for (Schema.Field f : r.getSchema().getFields()) {
        o.set(f.name(), toJson(r.get(f.pos()), f.schema()));
      }
      return o;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = F.objectNode();
      Schema values =
          schemaOf(schema, Schema.Type.MAP) == null
              ? null
              : schemaOf(schema, Schema.Type.MAP).getValueType();
      m.forEach((k, val) -> o.set(String.valueOf(k), toJson(val, values)));
      return o;
    }
    if (v instanceof Collection<?> c) {
      ArrayNode a = F.arrayNode();
      Schema items =
          schemaOf(schema, Schema.Type.ARRAY) == null
              ? null
              : schemaOf(schema, Schema.Type.ARRAY).getElementType();
      c.forEach(item -> a.add(toJson(item, items)));
      return a;
    }
    return scalar(v, schema);
  }

  private static JsonNode scalar(Object v, Schema schema) {
    if (v instanceof CharSequence s) {
      return F.textNode(s.toString());
    }
    if (v instanceof Instant i) {
      return F.textNode(i.toString());
    }
    if (v instanceof Long l) {
      return isTimestampMillis(schema)
          ? F.textNode(Instant.ofEpochMilli(l).toString())
          : F.numberNode(l);
    }
    if (v instanceof Integer i) {
      return F.numberNode(i);
    }
    if (v instanceof Double d) {
      return F.numberNode(d);
    }
    if (v instanceof Float f) {
      return F.numberNode(f);
    }
    if (v instanceof Boolean b) {
      return F.booleanNode(b);
    }
    if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return F.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    if (v instanceof GenericFixed f) {
      return F.textNode(Base64.getEncoder().encodeToString(f.bytes()));
    }
    return F.textNode(v.toString());
  }

  private static boolean isTimestampMillis(Schema schema) {
    Schema s = schemaOf(schema, Schema.Type.LONG);
    LogicalType lt = s == null ? null : s.getLogicalType();
    return lt instanceof LogicalTypes.TimestampMillis;
  }

  /** The schema itself, or its union branch, of this type. */
  private static Schema schemaOf(Schema schema, Schema.Type type) {
    if (schema == null) {
      return null;
    }
    if (schema.getType() == type) {
      return schema;
    }
    if (schema.getType() == Schema.Type.UNION) {
      return schema.getTypes().stream().filter(t -> t.getType() == type).findFirst().orElse(null);
    }
    return null;
  }
}
