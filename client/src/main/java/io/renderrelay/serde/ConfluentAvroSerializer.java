package io.renderrelay.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer writing Avro records ({@link SpecificRecord}, {@link
 * org.apache.avro.generic.GenericRecord} or any {@link GenericContainer}) in the Confluent wire
 * format. The schema id is resolved once per topic and schema (registered when auto-registration is
 * on, else looked up) and cached; datum writers and encoders are reused, so the hot path makes no
 * registry call and allocates only the output array. {@code null} serializes to {@code null}.
 */
public final class ConfluentAvroSerializer<T> implements Serializer<T> {

  private static final int MAX_RETAINED_BUFFER = 1 << 20;

  private SchemaRegistryClient client;
  private SubjectNameStrategy strategy;
  private boolean autoRegister;
  private boolean isKey;
  private boolean ownsClient;

  private final ConcurrentHashMap<String, ConcurrentHashMap<Schema, Integer>> idsByTopic =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Class<?>, DatumWriter<Object>> specificWriters =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Schema, DatumWriter<Object>> genericWriters =
      new ConcurrentHashMap<>();
  private final ThreadLocal<Buffer> buffers = ThreadLocal.withInitial(Buffer::new);

  /** For Kafka's reflective construction; {@link #configure(Map, boolean)} must follow. */
  public ConfluentAvroSerializer() {}

  /** A configured serializer on a client the caller owns (not closed by {@link #close()}). */
  public ConfluentAvroSerializer(
      SchemaRegistryClient client,
      SubjectNameStrategy strategy,
      boolean autoRegister,
      boolean isKey) {
    this.client = client;
    this.strategy = strategy;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    this.client = new HttpSchemaRegistryClient(RegistryClientConfig.fromMap(configs));
    this.ownsClient = true;
    Object auto = configs.get(SerdeConfig.AUTO_REGISTER_SCHEMAS);
    this.autoRegister = auto == null || Boolean.parseBoolean(auto.toString().trim());
    Object s =
        configs.get(
            isKey
                ? SerdeConfig.KEY_SUBJECT_NAME_STRATEGY
                : SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY);
    this.strategy =
        s == null
            ? SubjectNameStrategy.TOPIC_NAME
            : SubjectNameStrategy.parse(s instanceof Class<?> c ? c.getName() : s.toString());
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("ConfluentAvroSerializer is not configured");
    }
    if (!(data instanceof GenericContainer container)) {
      throw new SerializationException(
          "ConfluentAvroSerializer writes Avro records"
              + " (SpecificRecord, GenericRecord, GenericContainer), got "
              + data.getClass().getName());
    }
    Schema schema = container.getSchema();
    int id = schemaId(topic, schema);
    DatumWriter<Object> writer = writer(data, schema);
    Buffer buffer = buffers.get();
    try {
      return buffer.encode(id, writer, data);
    } catch (IOException | RuntimeException e) {
      buffers.remove();
      throw new SerializationException(
          "Cannot encode "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "' with schema id "
              + id
              + ": "
              + e,
          e);
    }
  }

  private int schemaId(String topic, Schema schema) {
    ConcurrentHashMap<Schema, Integer> ids =
        idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
    Integer id = ids.get(schema);
    if (id == null) {
      String subject = strategy.subject(topic, isKey, schema);
      id = autoRegister ? client.register(subject, schema) : client.getId(subject, schema);
      ids.put(schema, id);
    }
    return id;
  }

  private DatumWriter<Object> writer(Object data, Schema schema) {
    if (data instanceof SpecificRecord) {
      DatumWriter<Object> w = specificWriters.get(data.getClass());
      if (w == null) {
        w =
            specificWriters.computeIfAbsent(
                data.getClass(),
                c -> new SpecificDatumWriter<>(schema, SpecificData.getForClass(c)));
      }
      return w;
    }
    DatumWriter<Object> w = genericWriters.get(schema);
    if (w == null) {
      w =
          genericWriters.computeIfAbsent(
              schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
    }
    return w;
  }

  @Override
  public void close() {
    if (ownsClient && client != null) {
      client.close();
    }
  }

  /** Per-thread reusable output buffer and encoder. */
  private static final class Buffer {
    private ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    byte[] encode(int schemaId, DatumWriter<Object> writer, Object data) throws IOException {
      out.reset();
      out.write(ConfluentWireFormat.MAGIC_BYTE);
      out.write(schemaId >>> 24);
      out.write(schemaId >>> 16);
      out.write(schemaId >>> 8);
      out.write(schemaId);
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      writer.write(data, encoder);
      encoder.flush();
      byte[] result = out.toByteArray();
      if (result.length > MAX_RETAINED_BUFFER) {
        out = new ByteArrayOutputStream(256);
        encoder = null;
      }
      return result;
    }
  }
}
