package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.ReleasedSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Single-object encoding (schema fingerprint + Avro binary) of one internal record type, readable
 * across releases: the decoder knows the writer schema of every released version (from {@link
 * ReleasedSchemas}) and resolves each against the current class, so a ledger entry or poll ticket
 * written by any earlier release decodes after a compatible change. It writes the current schema,
 * or, during the first step of a rolling upgrade, an older released one that the previous release
 * can still read ({@code ledger.write-schema-version}).
 */
public final class InternalCodec<T extends SpecificRecord> {

  private final String type;
  private final Schema current;
  private final List<String> readable;
  private final BinaryMessageDecoder<T> decoder;
  private final BinaryMessageEncoder<T> encoder;
  private final Optional<BinaryMessageEncoder<GenericRecord>> olderEncoder;
  private final Schema writeSchema;
  private final Set<Long> fingerprints = new HashSet<>();
  private final Map<Long, Schema> writers = new HashMap<>();
  private final Map<Schema, Map<Long, GenericDatumReader<GenericRecord>>> projections =
      new ConcurrentHashMap<>();
  private final Map<String, Map<Long, Optional<EnumPath>>> paths = new ConcurrentHashMap<>();
  private static final int HEADER = 10;

  InternalCodec(Schema current, ReleasedSchemas releases, Optional<String> writeVersion) {
    this.type = current.getFullName();
    this.current = current;
    SchemaStore.Cache store = new SchemaStore.Cache();
    releases.writersOf(type).forEach(store::addSchema);
    releases
        .writersOf(type)
        .forEach(s -> writers.put(SchemaNormalization.parsingFingerprint64(s), s));
    writers.put(SchemaNormalization.parsingFingerprint64(current), current);
    fingerprints.addAll(writers.keySet());
    this.readable = releases.versions();
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), current, store);
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), current);
    this.writeSchema =
        writeVersion
            .map(
                v -> {
                  Schema s = releases.version(v).get(type);
                  if (s == null) {
                    throw new IllegalArgumentException(type + " is not part of release " + v);
                  }
                  return s;
                })
            .orElse(current);
    this.olderEncoder =
        writeVersion.map(v -> new BinaryMessageEncoder<>(GenericData.get(), writeSchema));
  }

  /** Ledger entries. */
  public static InternalCodec<JobState> jobStates(
      ReleasedSchemas releases, Optional<String> writeVersion) {
    return new InternalCodec<>(JobState.getClassSchema(), releases, writeVersion);
  }

  /** Poll tickets. */
  public static InternalCodec<PollTicket> tickets(
      ReleasedSchemas releases, Optional<String> writeVersion) {
    return new InternalCodec<>(PollTicket.getClassSchema(), releases, writeVersion);
  }

  /**
   * Spend journal entries (issue 14): a type no earlier release writes, so always the current
   * schema.
   */
  public static InternalCodec<io.renderrelay.avro.SpendEntry> spendEntries(
      ReleasedSchemas releases) {
    return new InternalCodec<>(
        io.renderrelay.avro.SpendEntry.getClassSchema(), releases, Optional.empty());
  }

  public byte[] encode(T value) {
    try {
      ByteBuffer buffer =
          olderEncoder.isPresent()
              ? olderEncoder.get().encode(asWriteSchema(value))
              : encoder.encode(value);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + type, e);
    }
  }

  /**
   * Decodes a record written by this or any released version.
   *
   * @throws UnknownWriterSchemaException when the writer schema is not known here (a newer release
   *     wrote it)
   */
  public T decode(byte[] bytes) {
    try {
      return decoder.decode(bytes);
    } catch (MissingSchemaException e) {
      throw new UnknownWriterSchemaException(
          type
              + " written with a schema this release does not know ("
              + e.getMessage()
              + "); it reads releases "
              + readable
              + " and the current schema: a newer release wrote it. Finish the rolling upgrade,"
              + " or roll back only as docs/operations.md says (ledger.write-schema-version)",
          e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot decode " + type + " (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * Checks that the record's writer schema is one this release reads, without decoding the body
   * (the restore stores entries as written and decodes them when they are read).
   *
   * @throws UnknownWriterSchemaException when it is not
   */
  public void checkWriter(byte[] bytes) {
    if (bytes.length < HEADER || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw new UncheckedIOException(
          new IOException("not a single-object encoded " + type + " (" + bytes.length + " bytes)"));
    }
    if (!fingerprints.contains(fingerprint(bytes))) {
      decode(bytes); // throws the clear UnknownWriterSchemaException
    }
  }

  /**
   * Reads only the fields of {@code projection} (a record of the same name holding some of the
   * type's fields) from a record written by this or any released version: the other fields are
   * skipped, not built, which is much cheaper than {@link #decode} when a caller needs one field.
   *
   * @throws UnknownWriterSchemaException when the writer schema is not known here
   */
  public GenericRecord project(byte[] bytes, Schema projection) {
    checkWriter(bytes);
    long fingerprint = fingerprint(bytes);
    GenericDatumReader<GenericRecord> reader =
        projections
            .computeIfAbsent(projection, p -> new ConcurrentHashMap<>())
            .computeIfAbsent(
                fingerprint,
                f -> new GenericDatumReader<>(writers.get(f), projection, GenericData.get()));
    try {
      return reader.read(
          null, DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, null));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot decode " + type + " (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * The symbol of the enum field {@code field} of a record written by this or any released version,
   * read by skipping the fields before it, when they are all primitives or enums; otherwise (or for
   * a symbol the current enum lacks) through {@link #project}. Never builds the record.
   */
  public String enumSymbol(byte[] bytes, String field, Schema projection) {
    checkWriter(bytes);
    Optional<EnumPath> path =
        paths
            .computeIfAbsent(field, f -> new ConcurrentHashMap<>())
            .computeIfAbsent(fingerprint(bytes), f -> EnumPath.of(writers.get(f), field));
    if (path.isPresent()) {
      try {
        return path.get().read(bytes, HEADER);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot decode " + type + " (" + bytes.length + " bytes): " + e.getMessage(), e);
      }
    }
    return project(bytes, projection).get(field).toString();
  }

  private static long fingerprint(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  /** The schema records are written with. */
  public Schema writeSchema() {
    return writeSchema;
  }

  private GenericRecord asWriteSchema(T value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(current).write(value, enc);
    enc.flush();
    return new GenericDatumReader<GenericRecord>(current, writeSchema)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
