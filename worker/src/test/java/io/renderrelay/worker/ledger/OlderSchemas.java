package io.renderrelay.worker.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Test helper: builds "the previous release" of a schema by removing an optional field from one of
 * its records (as if the current release had added it), and writes records with it the way that
 * release's worker did (single-object encoding with that schema's fingerprint).
 */
final class OlderSchemas {

  private static final ObjectMapper JSON = new ObjectMapper();

  private OlderSchemas() {}

  /** {@code schema} with field {@code field} removed from the record named {@code record}. */
  static Schema without(Schema schema, String record, String field) {
    try {
      JsonNode tree = JSON.readTree(schema.toString());
      if (!remove(tree, record, field)) {
        throw new IllegalArgumentException(record + "." + field + " not found");
      }
      return new Schema.Parser().parse(JSON.writeValueAsString(tree));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The single-object encoding of {@code value} written with the older schema {@code writer}. */
  static byte[] writeAs(SpecificRecord value, Schema writer) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<SpecificRecord>(value.getSchema()).write(value, enc);
      enc.flush();
      GenericRecord older =
          new GenericDatumReader<GenericRecord>(value.getSchema(), writer)
              .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(older);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean remove(JsonNode node, String record, String field) {
    if (node instanceof ObjectNode o) {
      String name = o.path("name").asText("");
      String ns = o.path("namespace").asText("");
      boolean match =
          "record".equals(o.path("type").asText())
              && (record.equals(name)
                  || record.equals(ns + "." + name)
                  || record.endsWith("." + name));
      if (match && o.get("fields") instanceof ArrayNode fields) {
        for (int i = 0; i < fields.size(); i++) {
          if (field.equals(fields.get(i).path("name").asText())) {
            fields.remove(i);
            return true;
          }
        }
      }
      for (JsonNode child : o) {
        if (remove(child, record, field)) {
          return true;
        }
      }
    } else if (node instanceof ArrayNode a) {
      for (JsonNode child : a) {
        if (remove(child, record, field)) {
          return true;
        }
      }
    }
    return false;
  }
}
