package io.renderrelay.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format. The writer schema is fetched by id once and
 * cached with its datum reader. With {@code specificReader} the record is read into the generated
 * {@link SpecificRecord} class named like the writer schema, using that class's schema as reader
 * schema (Avro schema resolution, so older and newer writers work); otherwise a {@link
 * org.apache.avro.generic.GenericRecord} in the writer schema is returned. {@code null} gives
 * {@code null}.
 *
 * <p>Before decoding, the body is walked once with the writer schema without materialising it
 * ({@link AvroBounds}): a length or count prefix that promises more than the payload holds fails
 * there, before Avro would allocate a buffer of that size (a 22-byte record claiming a 600 MB
 * string would otherwise cost the consumer 600 MB of heap; found by fuzzing).
 *
 * <p>Errors: {@link InvalidMagicByteException}, {@link UnknownSchemaIdException}, {@link
 * MalformedAvroException} (undecodable body or trailing bytes), {@link
 * RegistryUnavailableException} (retryable). A specific reader without a generated class for the
 * writer's record name throws a plain {@link SerializationException} (a deployment error).
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

  private SchemaRegistryClient client;
  private boolean specificReader;
  private boolean ownsClient;
  private final ConcurrentHashMap<Integer, Decoding> readers = new ConcurrentHashMap<>();
  private final ThreadLocal<BinaryDecoder[]> decoders =
      ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

  /** For Kafka's reflective construction; {@link #configure(Map, boolean)} must follow. */
  public ConfluentAvroDeserializer() {}

  /** A configured deserializer on a client the caller owns (not closed by {@link #close()}). */
  public ConfluentAvroDeserializer(SchemaRegistryClient client, boolean specificReader) {
    this.client = client;
    this.specificReader = specificReader;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.client = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(configs));
    this.ownsClient = true;
    Object specific = configs.get(SerdeConfig.SPECIFIC_AVRO_READER);
    this.specificReader = specific != null && Boolean.parseBoolean(specific.toString().trim());
  }

  @Override
  @SuppressWarnings("unchecked")
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("ConfluentAvroDeserializer is not configured");
    }
    int id = ConfluentWireFormat.schemaId(topic, data);
    Decoding decoding = readers.get(id);
    if (decoding == null) {
      decoding = readers.computeIfAbsent(id, this::newReader);
    }
    BinaryDecoder[] holder = decoders.get();
    Object result;
    try {
      // bounds pass: every length/count prefix is checked against the payload, allocating nothing
      AvroBounds.walk(decoding.writer(), body(data, holder), data.length);
      BinaryDecoder decoder = body(data, holder);
      result = decoding.reader().read(null, decoder);
      if (!decoder.isEnd()) {
        throw new MalformedAvroException(describe(topic, id, data)
            + ": trailing bytes after the record", id, null);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerdeException se) {
        throw se;
      }
      throw new MalformedAvroException(describe(topic, id, data) + ": " + e, id, e);
    }
    return (T) result;
  }

  private static BinaryDecoder body(byte[] data, BinaryDecoder[] holder) {
    holder[0] = DecoderFactory.get().binaryDecoder(
        data, ConfluentWireFormat.HEADER_SIZE, data.length - ConfluentWireFormat.HEADER_SIZE,
        holder[0]);
    return holder[0];
  }

  private String describe(String topic, int id, byte[] data) {
    Decoding decoding = readers.get(id);
    String name = decoding == null ? "?" : decoding.writer().getFullName();
    return "Payload on topic '" + topic + "' (" + data.length + " bytes) does not decode with"
        + " writer schema id " + id + " (" + name + ")";
  }

  /** The writer schema of an id and the datum reader that decodes it. */
  private record Decoding(Schema writer, DatumReader<Object> reader) {}

  private Decoding newReader(int id) {
    Schema writer = client.getSchemaById(id);
    if (!specificReader || writer.getType() != Schema.Type.RECORD) {
      return new Decoding(writer, new GenericDatumReader<>(writer, writer, GenericData.get()));
    }
    Class<?> type = specificClass(writer, id);
    SpecificData model = SpecificData.getForClass(type);
    Schema readerSchema = model.getSchema(type);
    return new Decoding(writer, new SpecificDatumReader<>(writer, readerSchema, model));
  }

  private static Class<?> specificClass(Schema writer, int id) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = ConfluentAvroDeserializer.class.getClassLoader();
    }
    try {
      Class<?> type = Class.forName(writer.getFullName(), true, cl);
      if (!SpecificRecord.class.isAssignableFrom(type)) {
        throw new SerializationException("Class " + type.getName() + " named by writer schema id "
            + id + " is not a generated Avro SpecificRecord");
      }
      return type;
    } catch (ClassNotFoundException e) {
      throw new SerializationException("No generated Avro class " + writer.getFullName()
          + " on the classpath for writer schema id " + id + " ("
          + SerdeConfig.SPECIFIC_AVRO_READER + "=true)", e);
    }
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
