package io.renderrelay.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format. The writer schema is fetched by id once and
 * cached with its datum reader. With {@code specificReader} the record is read into the generated
 * {@link SpecificRecord} class named like the writer schema, using that class's schema as reader
 * schema (Avro schema resolution, so older and newer writers work); otherwise a {@link
 * org.apache.avro.generic.GenericRecord} in the writer schema is returned. {@code null} gives
 * {@code null}.
 *
 * <p>Errors: {@link InvalidMagicByteException}, {@link UnknownSchemaIdException}, {@link
 * MalformedAvroException} (undecodable body or trailing bytes), {@link
 * RegistryUnavailableException} (retryable), {@link UnknownRecordTypeException} (a specific reader
 * and a writer record type without a generated class). Length prefixes are checked against the
 * payload before anything is allocated for them ({@link BoundedDecoder}), so a crafted payload
 * cannot make the reader allocate more than about its own size.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

  private SchemaRegistryClient client;
  private boolean specificReader;
  private boolean ownsClient;
  private final ConcurrentHashMap<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

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
    DatumReader<Object> reader = readers.get(id);
    if (reader == null) {
      reader = readers.computeIfAbsent(id, this::newReader);
    }
    BoundedDecoder decoder =
        new BoundedDecoder(
            data, ConfluentWireFormat.HEADER_SIZE, data.length - ConfluentWireFormat.HEADER_SIZE);
    Object result;
    try {
      result = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new MalformedAvroException(
            describe(topic, id, data) + ": trailing bytes after the record", id, null);
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof SerdeException se) {
        throw se;
      }
      throw new MalformedAvroException(describe(topic, id, data) + ": " + e, id, e);
    }
    return (T) result;
  }

  private String describe(String topic, int id, byte[] data) {
    DatumReader<Object> reader = readers.get(id);
    String name = reader instanceof GenericDatumReader<?> g ? g.getSchema().getFullName() : "?";
    return "Payload on topic '"
        + topic
        + "' ("
        + data.length
        + " bytes) does not decode with"
        + " writer schema id "
        + id
        + " ("
        + name
        + ")";
  }

  private DatumReader<Object> newReader(int id) {
    Schema writer = client.getSchemaById(id);
    if (!specificReader || writer.getType() != Schema.Type.RECORD) {
      return new GenericDatumReader<>(writer, writer, GenericData.get());
    }
    Class<?> type = specificClass(writer, id);
    SpecificData model = SpecificData.getForClass(type);
    Schema readerSchema = model.getSchema(type);
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }

  private static Class<?> specificClass(Schema writer, int id) {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    if (cl == null) {
      cl = ConfluentAvroDeserializer.class.getClassLoader();
    }
    try {
      Class<?> type = Class.forName(writer.getFullName(), true, cl);
      if (!SpecificRecord.class.isAssignableFrom(type)) {
        throw new UnknownRecordTypeException(
            id, writer.getFullName(), "whose class is not a generated Avro SpecificRecord", null);
      }
      return type;
    } catch (ClassNotFoundException e) {
      throw new UnknownRecordTypeException(
          id,
          writer.getFullName(),
          "which has no generated Avro class on the classpath ("
              + SerdeConfig.SPECIFIC_AVRO_READER
              + "=true)",
          e);
    }
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }
}
