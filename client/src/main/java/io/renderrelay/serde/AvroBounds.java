package io.renderrelay.serde;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;

/**
 * Walks an Avro binary body with its writer schema, materialising nothing: every string and bytes
 * length is skipped against the bytes actually there, and every array or map is walked item by item
 * (never jumped over by a block's byte size), so a prefix that promises more than the payload holds
 * fails here instead of making Avro allocate for it. Found by {@code
 * ConfluentAvroDeserializerFuzzTest}: a 22-byte record claiming a 600 MB string.
 */
final class AvroBounds {

  private AvroBounds() {}

  /**
   * Walks one datum of {@code schema}.
   *
   * @param payloadLength the whole payload's length: no array or map block may have more items
   *     (every item of a real writer takes at least one byte, except zero-width item types)
   * @throws IOException when a length runs past the end, or a count or union index is impossible
   */
  static void walk(Schema schema, BinaryDecoder in, int payloadLength) throws IOException {
    switch (schema.getType()) {
      case NULL -> in.readNull();
      case BOOLEAN -> in.readBoolean();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case STRING -> in.skipString();
      case BYTES -> in.skipBytes();
      case FIXED -> in.skipFixed(schema.getFixedSize());
      case ENUM -> in.readEnum();
      case UNION -> {
        int index = in.readIndex();
        if (index < 0 || index >= schema.getTypes().size()) {
          throw new EOFException("union index " + index + " out of range");
        }
        walk(schema.getTypes().get(index), in, payloadLength);
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          walk(field.schema(), in, payloadLength);
        }
      }
      case ARRAY -> {
        for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
          checkCount(n, payloadLength);
          for (long i = 0; i < n; i++) {
            walk(schema.getElementType(), in, payloadLength);
          }
        }
      }
      case MAP -> {
        for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
          checkCount(n, payloadLength);
          for (long i = 0; i < n; i++) {
            in.skipString();
            walk(schema.getValueType(), in, payloadLength);
          }
        }
      }
    }
  }

  private static void checkCount(long n, int payloadLength) throws EOFException {
    if (n < 0 || n > payloadLength) {
      throw new EOFException(
          "collection of " + n + " items in a " + payloadLength + "-byte payload");
    }
  }
}
