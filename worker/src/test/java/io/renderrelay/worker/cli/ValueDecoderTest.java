package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ValueDecoderTest {

  private final FakeAvroSerde serde = new FakeAvroSerde();

  static RestyleCommand command(String jobId) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("https://cdn.example/v.mp4")
        .setPrompt("pixelated style")
        .setOptions(new RestyleOptions(0.5, false))
        .setMetadata(Map.of("k", "v"))
        .setRequestedAt(Instant.parse("2026-11-25T10:00:00Z"))
        .build();
  }

  @Test
  void decodesConfluentFramedAvroToPlainJson() {
    byte[] bytes = serde.serializer().serialize("t", command("job-1"));
    var d =
        new ValueDecoder(Optional.of(serde.deserializer(false)))
            .decode("t", new RecordHeaders(), bytes);

    assertThat(d).isInstanceOf(ValueDecoder.Decoded.Avro.class);
    var avro = (ValueDecoder.Decoded.Avro) d;
    assertThat(avro.schemaId()).isEqualTo(1);
    assertThat(avro.schemaName()).isEqualTo("io.renderrelay.avro.RestyleCommand");
    assertThat(avro.json().get("jobId").asText()).isEqualTo("job-1");
    assertThat(avro.json().get("requestedAt").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(avro.json().get("deadline").isNull()).isTrue();
    assertThat(avro.json().get("options").get("structureTransformation").asDouble()).isEqualTo(0.5);
    assertThat(avro.json().get("metadata").get("k").asText()).isEqualTo("v");
  }

  @Test
  void jsonBytesAreNotFramedAndSaySo() {
    byte[] bytes = "{\"jobId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    var d =
        (ValueDecoder.Decoded.Raw)
            new ValueDecoder(Optional.of(serde.deserializer(false)))
                .decode("t", new RecordHeaders(), bytes);
    assertThat(d.why())
        .isEqualTo("not Confluent-framed Avro: the first byte is 0x7b, not the magic byte 0x00");
    assertThat(d.toMap()).containsEntry("text", "{\"jobId\":\"x\"}").containsKeys("hex", "base64");
  }

  @Test
  void withoutARegistryTheSchemaIdIsShown() {
    byte[] bytes = serde.serializer().serialize("t", command("job-1"));
    var d =
        (ValueDecoder.Decoded.Raw)
            new ValueDecoder(Optional.empty()).decode("t", new RecordHeaders(), bytes);
    assertThat(d.why())
        .isEqualTo(
            "Confluent-framed Avro with schema id 1, but no --registry-url was given to fetch the"
                + " schema");
  }

  @Test
  void anUnknownSchemaIdOrShortValueIsExplained() {
    byte[] unknown = {0, 0, 0, 0, 99, 2, 3};
    var d =
        (ValueDecoder.Decoded.Raw)
            new ValueDecoder(Optional.of(serde.deserializer(false)))
                .decode("t", new RecordHeaders(), unknown);
    assertThat(d.why())
        .isEqualTo("schema id 99 does not decode: schema id 99 is not in the registry");
    assertThat(
            ((ValueDecoder.Decoded.Raw)
                    new ValueDecoder(Optional.empty())
                        .decode("t", new RecordHeaders(), new byte[] {0, 1}))
                .why())
        .startsWith("only 2 bytes");
    assertThat(new ValueDecoder(Optional.empty()).decode("t", new RecordHeaders(), null))
        .isInstanceOf(ValueDecoder.Decoded.Null.class);
  }
}
