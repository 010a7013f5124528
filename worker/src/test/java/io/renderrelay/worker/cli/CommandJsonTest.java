package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandJsonTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final CommandJson reader = new CommandJson(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ObjectMapper json = new ObjectMapper();

  private RestyleCommand restyle(String text) throws Exception {
    JsonNode n = json.readTree(text);
    return reader.read(n, RestyleCommand.class, RestyleCommand.getClassSchema());
  }

  @Test
  void readsEveryFieldWithBareUnionsAndIsoTimes() throws Exception {
    RestyleCommand c =
        restyle(
            """
            {"jobId":"j1","sourceVideoUrl":"https://cdn.example/v.mp4","prompt":"pixelated style",
             "model":"gen4_aleph","options":{"structureTransformation":0.8,"flip":true},
             "outputPrefix":"tenant-a","metadata":{"order":"42"},
             "requestedAt":"2026-11-25T11:00:00Z","deadline":1795000000000}\
            """);
    assertThat(c.getJobId()).isEqualTo("j1");
    assertThat(c.getModel()).isEqualTo("gen4_aleph");
    assertThat(c.getOptions().getStructureTransformation()).isEqualTo(0.8);
    assertThat(c.getOptions().getFlip()).isTrue();
    assertThat(c.getOutputPrefix()).isEqualTo("tenant-a");
    assertThat(c.getMetadata()).isEqualTo(Map.of("order", "42"));
    assertThat(c.getRequestedAt()).isEqualTo(Instant.parse("2026-11-25T11:00:00Z"));
    assertThat(c.getDeadline()).isEqualTo(Instant.ofEpochMilli(1795000000000L));
  }

  @Test
  void leftOutFieldsTakeTheSchemaDefaultsAndRelativeDeadlinesCountFromNow() throws Exception {
    RestyleCommand c =
        restyle(
            """
            {"jobId":"j1","sourceVideoUrl":"https://v","prompt":"p","requestedAt":0,"deadline":"2h"}\
            """);
    assertThat(c.getModel()).isEqualTo("gen4");
    assertThat(c.getOptions().getStructureTransformation()).isEqualTo(0.5);
    assertThat(c.getOptions().getFlip()).isFalse();
    assertThat(c.getOutputPrefix()).isNull();
    assertThat(c.getMetadata()).isEmpty();
    assertThat(c.getDeadline()).isEqualTo(NOW.plusSeconds(7200));
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    assertThatThrownBy(
            () ->
                restyle(
                    """
                    {"jobId":"j1","sourceVideoUrl":"https://v","requestedAt":0}\
                    """))
        .isInstanceOf(CommandJson.InvalidJson.class)
        .hasMessage("$: missing required field 'prompt' of RestyleCommand");
    assertThatThrownBy(
            () ->
                reader.read(
                    json.readTree("{\"jobId\":\"j\",\"requestedAt\":0}"),
                    ActOneCommand.class,
                    ActOneCommand.getClassSchema()))
        .hasMessage(
            "$: missing required fields 'performanceVideoUrl', 'characterImageUrl' of"
                + " ActOneCommand");
  }

  @Test
  void unknownFieldsAndWrongTypesAreErrorsWithTheirPath() {
    assertThatThrownBy(
            () ->
                restyle(
                    """
                    {"jobId":"j1","sourceVideoUrl":"https://v","prompt":"p","requestedAt":0,"promt":"x"}\
                    """))
        .hasMessageStartingWith(
            "$: unknown field 'promt' (RestyleCommand has [jobId, sourceVideoUrl, prompt");
    assertThatThrownBy(
            () ->
                restyle(
                    """
                    {"jobId":"j1","sourceVideoUrl":"https://v","prompt":"p","requestedAt":0,"options":{"flip":"yes"}}\
                    """))
        .hasMessage("$.options.flip: expected true or false, got \"yes\"");
    assertThatThrownBy(
            () ->
                restyle(
                    """
                    {"jobId":"j1","sourceVideoUrl":"https://v","prompt":"p","requestedAt":"yesterday-ish"}\
                    """))
        .hasMessageStartingWith("$.requestedAt: 'yesterday-ish' is not a time");
    assertThatThrownBy(
            () ->
                restyle(
                    """
                    {"jobId":null,"sourceVideoUrl":"https://v","prompt":"p","requestedAt":0}\
                    """))
        .hasMessage("$.jobId: expected a string, got null");
  }

  @Test
  void submitOptionsFillJobIdAndRequestedAtAndLetFlagsOverrideTheFile(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path file = dir.resolve("cmd.json");
    java.nio.file.Files.writeString(
        file,
        """
        {"sourceVideoUrl":"https://file","prompt":"from file","options":{"flip":true},"metadata":{"a":"1"}}\
        """);
    SubmitOptions o = new SubmitOptions();
    o.file = file;
    o.metadata.put("b", "2");
    var flags = new java.util.LinkedHashMap<String, Object>();
    flags.put("prompt", "from flag");
    flags.put("options.structureTransformation", 0.25);
    flags.put("sourceVideoUrl", null);
    JsonNode n = o.json(Clock.fixed(NOW, ZoneOffset.UTC), flags);
    RestyleCommand c = reader.read(n, RestyleCommand.class, RestyleCommand.getClassSchema());
    assertThat(c.getJobId())
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(c.getRequestedAt()).isEqualTo(NOW);
    assertThat(c.getSourceVideoUrl()).isEqualTo("https://file");
    assertThat(c.getPrompt()).isEqualTo("from flag");
    assertThat(c.getOptions().getFlip()).isTrue();
    assertThat(c.getOptions().getStructureTransformation()).isEqualTo(0.25);
    assertThat(c.getMetadata()).isEqualTo(Map.of("a", "1", "b", "2"));
  }
}
