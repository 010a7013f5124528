package io.renderrelay.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SubjectNameStrategy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.entities.Config;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.flink.avro.shaded.org.apache.avro.Schema;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericData;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumWriter;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.shaded.org.apache.avro.io.BinaryDecoder;
import org.apache.flink.avro.shaded.org.apache.avro.io.BinaryEncoder;
import org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory;
import org.apache.flink.avro.shaded.org.apache.avro.io.EncoderFactory;
import org.apache.flink.formats.avro.registry.confluent.ConfluentSchemaRegistryCoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interoperability with an independent implementation: Confluent's own registry client and Flink's
 * Confluent wire-format coder (both from flink-sql-avro-confluent-registry, relocated, with their
 * own shaded Avro) against our {@link SchemaRegistryServer} and our serde.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfluentInteropIT {

  private static final String TOPIC = "render.commands";
  private static final String SUBJECT = TOPIC + "-value";

  private SchemaRegistryServer server;
  private CachedSchemaRegistryClient confluent;
  private HttpSchemaRegistryClient ours;

  @BeforeEach
  void start() {
    server = new SchemaRegistryServer(0).start();
    confluent = new CachedSchemaRegistryClient(server.url(), 100);
    ours = new HttpSchemaRegistryClient(RegistryClientConfig.of(server.url()));
  }

  @AfterEach
  void stop() throws Exception {
    confluent.close();
    ours.close();
    server.close();
  }

  private static Schema shaded(org.apache.avro.Schema schema) {
    return new Schema.Parser().parse(schema.toString());
  }

  static RestyleCommand command() {
    return RestyleCommand.newBuilder()
        .setJobId("job-interop")
        .setSourceVideoUrl("https://cdn.example/in.mp4")
        .setPrompt("pixelated style")
        .setOptions(new RestyleOptions(0.25, true))
        .setMetadata(Map.of("k", "v"))
        .setRequestedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .build();
  }

  @Test
  void idsAgreeWhenConfluentRegistersAndWeLookUp() throws Exception {
    int id =
        confluent.register(SUBJECT, new AvroSchema(RestyleCommand.getClassSchema().toString()));
    assertThat(ours.getId(SUBJECT, RestyleCommand.getClassSchema())).isEqualTo(id);
    assertThat(ours.register(SUBJECT, RestyleCommand.getClassSchema())).isEqualTo(id);
    assertThat(ours.getSchemaById(id)).isEqualTo(RestyleCommand.getClassSchema());
    assertThat(ours.subjects()).containsExactly(SUBJECT);
  }

  @Test
  void idsAgreeWhenWeRegisterAndConfluentLooksUp() throws Exception {
    int id = ours.register(SUBJECT, RestyleCommand.getClassSchema());
    AvroSchema expected = new AvroSchema(RestyleCommand.getClassSchema().toString());
    assertThat(confluent.getId(SUBJECT, expected)).isEqualTo(id);
    assertThat(confluent.getSchemaById(id).canonicalString()).isEqualTo(expected.canonicalString());
    assertThat(confluent.getLatestSchemaMetadata(SUBJECT).getId()).isEqualTo(id);
    assertThat(confluent.getAllSubjects()).containsExactly(SUBJECT);
    assertThat(confluent.getAllVersions(SUBJECT)).containsExactly(1);
  }

  @Test
  void confluentClientSeesCompatibilityAndErrorCodes() throws Exception {
    ours.register(SUBJECT, RestyleCommand.getClassSchema());
    String breaking =
        RestyleCommand.getClassSchema()
            .toString()
            .replace(
                "{\"name\":\"jobId\"",
                "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"jobId\"");
    assertThat(confluent.testCompatibility(SUBJECT, new AvroSchema(breaking))).isFalse();
    RestClientException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RestClientException.class, () -> confluent.register(SUBJECT, new AvroSchema(breaking)));
    assertThat(e.getStatus()).isEqualTo(409);
    RestClientException noLevel =
        org.junit.jupiter.api.Assertions.assertThrows(
            RestClientException.class, () -> confluent.getConfig(SUBJECT));
    assertThat(noLevel.getErrorCode()).isEqualTo(40408);
    confluent.updateConfig(SUBJECT, new Config("NONE"));
    assertThat(confluent.getConfig(SUBJECT).getCompatibilityLevel()).isEqualTo("NONE");
    assertThat(confluent.register(SUBJECT, new AvroSchema(breaking))).isEqualTo(2);
    RestClientException unknown =
        org.junit.jupiter.api.Assertions.assertThrows(
            RestClientException.class, () -> confluent.getSchemaById(999));
    assertThat(unknown.getErrorCode()).isEqualTo(40403);
  }

  @Test
  void bytesFromOurSerializerDecodeWithFlinkCoderAndShadedAvro() throws Exception {
    var serializer =
        new ConfluentAvroSerializer<RestyleCommand>(
            ours, SubjectNameStrategy.TOPIC_NAME, true, false);
    byte[] bytes = serializer.serialize(TOPIC, command());

    var in = new ByteArrayInputStream(bytes);
    Schema writer = new ConfluentSchemaRegistryCoder(confluent).readSchema(in);
    assertThat(writer.getFullName()).isEqualTo("io.renderrelay.avro.RestyleCommand");
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(in, null);
    GenericRecord rec = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    assertThat(decoder.isEnd()).isTrue();
    assertThat(rec.get("jobId").toString()).isEqualTo("job-interop");
    assertThat(rec.get("requestedAt")).isEqualTo(1_700_000_000_000L);
    assertThat(((GenericRecord) rec.get("options")).get("structureTransformation")).isEqualTo(0.25);
    assertThat(rec.get("model").toString()).isEqualTo("gen4");
  }

  @Test
  void bytesFromFlinkCoderDecodeWithOurDeserializer() throws Exception {
    // an older writer (no model/options/metadata), registered and written by Confluent's code
    Schema old =
        new Schema.Parser()
            .parse(
                """
        {"type":"record","name":"RestyleCommand","namespace":"io.renderrelay.avro","fields":[
          {"name":"jobId","type":"string"},{"name":"sourceVideoUrl","type":"string"},
          {"name":"prompt","type":"string"},
          {"name":"requestedAt","type":{"type":"long","logicalType":"timestamp-millis"}}]}""");
    GenericRecord rec = new GenericData.Record(old);
    rec.put("jobId", "job-flink");
    rec.put("sourceVideoUrl", "https://cdn.example/f.mp4");
    rec.put("prompt", "charcoal");
    rec.put("requestedAt", 77L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ConfluentSchemaRegistryCoder(SUBJECT, confluent).writeSchema(old, out);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old).write(rec, encoder);
    encoder.flush();

    var specific = new ConfluentAvroDeserializer<RestyleCommand>(ours, true);
    RestyleCommand read = specific.deserialize(TOPIC, out.toByteArray());
    assertThat(read.getJobId()).isEqualTo("job-flink");
    assertThat(read.getModel()).isEqualTo("gen4");
    assertThat(read.getRequestedAt()).isEqualTo(Instant.ofEpochMilli(77));

    var generic = new ConfluentAvroDeserializer<org.apache.avro.generic.GenericRecord>(ours, false);
    assertThat(generic.deserialize(TOPIC, out.toByteArray()).get("prompt").toString())
        .isEqualTo("charcoal");
    // the current schema is a compatible evolution of what Flink registered
    assertThat(ours.register(SUBJECT, RestyleCommand.getClassSchema())).isEqualTo(2);
  }

  @Test
  void confluentClientAuthenticatesAgainstOurServer() throws Exception {
    try (var secured = new SchemaRegistryServer(0, java.util.Optional.of("svc:pa55")).start()) {
      Map<String, Object> conf = new HashMap<>();
      conf.put("basic.auth.credentials.source", "USER_INFO");
      conf.put("basic.auth.user.info", "svc:pa55");
      var authed = new CachedSchemaRegistryClient(secured.url(), 10, conf);
      int id = authed.register("s", new AvroSchema(shaded(RestyleCommand.getClassSchema())));
      var anonymous = new CachedSchemaRegistryClient(secured.url(), 10);
      RestClientException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              RestClientException.class, () -> anonymous.getSchemaById(id));
      assertThat(e.getStatus()).isEqualTo(401);
      authed.close();
      anonymous.close();
    }
  }
}
