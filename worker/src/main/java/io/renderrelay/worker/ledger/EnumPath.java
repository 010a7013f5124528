package io.renderrelay.worker.ledger;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Where an enum field sits in records of one writer schema: after fields of fixed-layout types only
 * (primitives, enums, fixed), so its symbol is read by skipping them, without decoding the record
 * (the restore reads every ledger entry's phase).
 */
record EnumPath(List<Schema> before, List<String> symbols) {

  /** The path to {@code field} in {@code writer}, empty when a field before it is not simple. */
  static Optional<EnumPath> of(Schema writer, String field) {
    Schema.Field target = writer.getField(field);
    if (target == null || target.schema().getType() != Schema.Type.ENUM) {
      return Optional.empty();
    }
    List<Schema> before =
        writer.getFields().subList(0, target.pos()).stream().map(Schema.Field::schema).toList();
    if (!before.stream().allMatch(EnumPath::simple)) {
      return Optional.empty();
    }
    return Optional.of(new EnumPath(before, target.schema().getEnumSymbols()));
  }

  /** The field's symbol in the record starting at {@code offset} of {@code bytes}. */
  String read(byte[] bytes, int offset) throws IOException {
    BinaryDecoder in =
        DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
    for (Schema s : before) {
      skip(in, s);
    }
    int index = in.readEnum();
    if (index < 0 || index >= symbols.size()) {
      throw new IOException("enum index " + index + " outside " + symbols);
    }
    return symbols.get(index);
  }

  private static boolean simple(Schema s) {
    return switch (s.getType()) {
      case STRING, BYTES, INT, LONG, FLOAT, DOUBLE, BOOLEAN, ENUM, FIXED, NULL -> true;
      default -> false;
    };
  }

  private static void skip(BinaryDecoder in, Schema s) throws IOException {
    switch (s.getType()) {
      case STRING -> in.skipString();
      case BYTES -> in.skipBytes();
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case BOOLEAN -> in.readBoolean();
      case ENUM -> in.readEnum();
      case FIXED -> in.skipFixed(s.getFixedSize());
      case NULL -> in.readNull();
      default -> throw new IllegalStateException("not a simple type: " + s);
    }
  }
}
