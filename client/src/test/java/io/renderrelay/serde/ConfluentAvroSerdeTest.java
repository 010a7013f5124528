package io.renderrelay.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.RenderOutput;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

  private static final String TOPIC = "render.commands";
  private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
  private final ConfluentAvroSerializer<Object> serializer =
      new ConfluentAvroSerializer<>(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
  private final ConfluentAvroDeserializer<Object> specific =
      new ConfluentAvroDeserializer<>(registry, true);
  private final ConfluentAvroDeserializer<Object> generic =
      new ConfluentAvroDeserializer<>(registry, false);

  static RestyleCommand command(String jobId) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("https://cdn.example/in.mp4")
        .setPrompt("pixelated style")
        .setOptions(new RestyleOptions(0.7, true))
        .setMetadata(Map.of("tenant", "acme"))
        .setRequestedAt(Instant.ofEpochMilli(1_700_000_000_123L))
        .setDeadline(Instant.ofEpochMilli(1_700_000_600_000L))
        .build();
  }

  static GenericRecord output(Schema schema) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("bucket", "renders");
    r.put("key", "jobs/j1/video.mp4");
    r.put("uri", "s3://renders/jobs/j1/video.mp4");
    r.put("sizeBytes", 12345L);
    r.put("sha256", "ab".repeat(32));
    r.put("contentType", "video/mp4");
    return r;
  }

  @Test
  void specificRecordRoundTripsAndHeaderCarriesRegisteredId() {
    RestyleCommand cmd = command("job-1");
    byte[] bytes = serializer.serialize(TOPIC, cmd);

    int id = registry.getId(TOPIC + "-value", RestyleCommand.getClassSchema());
    assertThat(bytes[0]).isEqualTo((byte) 0);
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(specific.deserialize(TOPIC, bytes)).isEqualTo(cmd);
  }

  @Test
  void bodyIsPlainAvroBinaryEncoding() throws Exception {
    GenericRecord rec = output(RenderOutput.getClassSchema());
    byte[] bytes = serializer.serialize(TOPIC, rec);

    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(expected, null);
    new GenericDatumWriter<GenericRecord>(rec.getSchema()).write(rec, enc);
    enc.flush();
    assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(expected.toByteArray());
  }

  @Test
  void genericRecordRoundTrips() {
    GenericRecord rec = output(RenderOutput.getClassSchema());
    Object back = generic.deserialize(TOPIC, serializer.serialize(TOPIC, rec));
    assertThat(back).isInstanceOf(GenericRecord.class).isEqualTo(rec);
    assertThat(specific.deserialize(TOPIC, serializer.serialize(TOPIC, rec)))
        .isInstanceOf(RenderOutput.class)
        .extracting(o -> ((RenderOutput) o).getSizeBytes())
        .isEqualTo(12345L);
  }

  @Test
  void specificWrittenReadsAsGeneric() {
    GenericRecord back =
        (GenericRecord) generic.deserialize(TOPIC, serializer.serialize(TOPIC, command("job-2")));
    assertThat(back.get("jobId").toString()).isEqualTo("job-2");
    assertThat(back.get("requestedAt")).isEqualTo(1_700_000_000_123L);
  }

  @Test
  void nullSerializesToNullAndBack() {
    assertThat(serializer.serialize(TOPIC, null)).isNull();
    assertThat(specific.deserialize(TOPIC, null)).isNull();
    assertThat(registry.registerCalls).hasValue(0);
  }

  @Test
  void wrongMagicByteIsReportedWithByteAndLength() {
    byte[] bytes = serializer.serialize(TOPIC, command("job-3"));
    bytes[0] = 0x7b;
    assertThatThrownBy(() -> specific.deserialize(TOPIC, bytes))
        .isInstanceOf(InvalidMagicByteException.class)
        .hasMessageContaining("0x7b")
        .hasMessageContaining("length " + bytes.length)
        .hasMessageContaining(TOPIC);
  }

  @Test
  void tooShortPayloadIsInvalidMagic() {
    assertThatThrownBy(() -> specific.deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(InvalidMagicByteException.class)
        .hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> specific.deserialize(TOPIC, new byte[0]))
        .isInstanceOf(InvalidMagicByteException.class)
        .hasMessageContaining("Empty payload");
  }

  @Test
  void truncatedPayloadIsMalformed() {
    byte[] bytes = serializer.serialize(TOPIC, command("job-4"));
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
    for (int cut = 1; cut < bytes.length - 5; cut += 7) {
      byte[] truncated = Arrays.copyOf(bytes, bytes.length - cut);
      assertThatThrownBy(() -> specific.deserialize(TOPIC, truncated))
          .as("payload cut by %d bytes", cut)
          .isInstanceOfSatisfying(
              MalformedAvroException.class, e -> assertThat(e.schemaId()).isEqualTo(id))
          .hasMessageContaining("writer schema id " + id);
    }
  }

  @Test
  void trailingBytesAndGarbageAreMalformed() {
    byte[] bytes = serializer.serialize(TOPIC, command("job-5"));
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> specific.deserialize(TOPIC, longer))
        .isInstanceOf(MalformedAvroException.class)
        .hasMessageContaining("trailing bytes");
    byte[] garbage = Arrays.copyOf(bytes, 8);
    garbage[5] = 0x01; // string length -1
    assertThatThrownBy(() -> generic.deserialize(TOPIC, garbage))
        .isInstanceOf(MalformedAvroException.class);
  }

  @Test
  void unknownSchemaIdCarriesTheId() {
    byte[] bytes = {0, 0, 0, 0x03, (byte) 0xe7, 2, 'x'};
    assertThatThrownBy(() -> generic.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(999))
        .hasMessageContaining("999");
  }

  @Test
  void oldWriterIsReadByNewReaderWithDefaults() {
    Schema old =
        SchemaBuilder.record("RestyleCommand")
            .namespace("io.renderrelay.avro")
            .fields()
            .requiredString("jobId")
            .requiredString("sourceVideoUrl")
            .requiredString("prompt")
            .name("requestedAt")
            .type(timestampMillis())
            .noDefault()
            .endRecord();
    GenericRecord rec = new GenericData.Record(old);
    rec.put("jobId", "job-old");
    rec.put("sourceVideoUrl", "https://cdn.example/a.mp4");
    rec.put("prompt", "oil painting");
    rec.put("requestedAt", 42L);

    RestyleCommand read =
        (RestyleCommand) specific.deserialize(TOPIC, serializer.serialize(TOPIC, rec));

    assertThat(read.getJobId()).isEqualTo("job-old");
    assertThat(read.getModel()).isEqualTo("gen4");
    assertThat(read.getOptions()).isEqualTo(new RestyleOptions(0.5, false));
    assertThat(read.getMetadata()).isEmpty();
    assertThat(read.getDeadline()).isNull();
    assertThat(read.getRequestedAt()).isEqualTo(Instant.ofEpochMilli(42));
  }

  @Test
  void newerWriterWithExtraFieldIsReadByOlderReader() {
    Schema newer =
        SchemaBuilder.record("RenderOutput")
            .namespace("io.renderrelay.avro")
            .fields()
            .requiredString("bucket")
            .requiredString("key")
            .requiredString("uri")
            .requiredLong("sizeBytes")
            .requiredString("sha256")
            .requiredString("contentType")
            .name("etag")
            .type()
            .stringType()
            .stringDefault("")
            .endRecord();
    GenericRecord rec = output(newer);
    rec.put("etag", "\"abc\"");
    RenderOutput read =
        (RenderOutput) specific.deserialize(TOPIC, serializer.serialize(TOPIC, rec));
    assertThat(read.getKey()).isEqualTo("jobs/j1/video.mp4");
  }

  @Test
  void registryIsCalledOnceForManyRecords() {
    byte[] last = null;
    for (int i = 0; i < 1000; i++) {
      last = serializer.serialize(TOPIC, command("job-" + i));
      assertThat(specific.deserialize(TOPIC, last)).isNotNull();
    }
    assertThat(registry.registerCalls).hasValue(1);
    assertThat(registry.getByIdCalls).hasValue(1);
    assertThat(((RestyleCommand) specific.deserialize(TOPIC, last)).getJobId())
        .isEqualTo("job-999");
  }

  @Test
  void withoutAutoRegisterTheIdIsLookedUp() {
    var lookup =
        new ConfluentAvroSerializer<RestyleCommand>(
            registry, SubjectNameStrategy.RECORD_NAME, false, false);
    assertThatThrownBy(() -> lookup.serialize(TOPIC, command("x")))
        .isInstanceOfSatisfying(
            SchemaRegistrationException.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    int id =
        registry.register("io.renderrelay.avro.RestyleCommand", RestyleCommand.getClassSchema());
    byte[] bytes = lookup.serialize(TOPIC, command("x"));
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.registerCalls).hasValue(1);
  }

  @Test
  void serializerUsesTheStrategySubject() {
    new ConfluentAvroSerializer<Object>(registry, SubjectNameStrategy.TOPIC_RECORD_NAME, true, true)
        .serialize("t1", command("k"));
    new ConfluentAvroSerializer<Object>(registry, SubjectNameStrategy.TOPIC_NAME, true, true)
        .serialize("t2", command("k"));
    serializer.serialize("t3", command("v"));
    assertThat(registry.subjects())
        .containsExactlyInAnyOrder("t1-io.renderrelay.avro.RestyleCommand", "t2-key", "t3-value");
  }

  @Test
  void registryOutageSurfacesAsRetryable() {
    registry.failWith(() -> new RegistryUnavailableException("down", null));
    assertThatThrownBy(() -> serializer.serialize(TOPIC, command("x")))
        .isInstanceOfSatisfying(
            RegistryUnavailableException.class, e -> assertThat(e.isRetryable()).isTrue());
  }

  @Test
  void nonAvroObjectsAreRejected() {
    assertThatThrownBy(() -> serializer.serialize(TOPIC, "plain string"))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void specificReaderWithoutGeneratedClassFailsClearly() {
    Schema unknown =
        SchemaBuilder.record("Nope")
            .namespace("com.example")
            .fields()
            .requiredString("a")
            .endRecord();
    GenericRecord rec = new GenericData.Record(unknown);
    rec.put("a", "b");
    byte[] bytes = serializer.serialize(TOPIC, rec);
    assertThatThrownBy(() -> specific.deserialize(TOPIC, bytes))
        .isInstanceOfSatisfying(
            UnknownRecordTypeException.class,
            e -> assertThat(e.recordName()).isEqualTo("com.example.Nope"))
        .hasMessageContaining("com.example.Nope");
    assertThat(generic.deserialize(TOPIC, bytes)).isEqualTo(rec);
  }

  @Test
  void parallelUseIsSafe() throws Exception {
    var threads = new java.util.ArrayList<Thread>();
    var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
    for (int t = 0; t < 4; t++) {
      int n = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 500; i++) {
                        RestyleCommand cmd = command("t" + n + "-" + i);
                        assertThat(specific.deserialize(TOPIC, serializer.serialize(TOPIC, cmd)))
                            .isEqualTo(cmd);
                      }
                    } catch (Throwable e) {
                      failures.add(e);
                    }
                  }));
    }
    for (Thread th : threads) {
      th.join(30_000);
    }
    assertThat(failures).isEmpty();
  }

  private static Schema timestampMillis() {
    return org.apache.avro.LogicalTypes.timestampMillis()
        .addToSchema(Schema.create(Schema.Type.LONG));
  }
}
