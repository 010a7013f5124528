package io.renderrelay.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The schema files for non-JVM clients parse alone (a fresh parser, no imports) and are the very
 * schemas of the generated classes; the source files do not, which is why they exist.
 */
class TopicSchemasTest {

  private static final Path BUILT = Path.of("target", "schemas");

  @Test
  void theSourceFilesReferToEachOtherAndDoNotParseAlone() {
    assertThatThrownBy(
            () -> new Schema.Parser().parse(Path.of("src/main/avro/RestyleCommand.avsc").toFile()))
        .isInstanceOf(AvroRuntimeException.class)
        .hasMessageContaining("io.renderrelay.avro.RestyleOptions");
  }

  @Test
  void theBuiltFilesParseAloneAndEqualTheClassSchemas() throws Exception {
    assertThat(BUILT).as("written by the build (exec TopicSchemas, process-classes)").isDirectory();
    for (Schema expected : TopicSchemas.ALL) {
      Path file = BUILT.resolve(expected.getName() + ".avsc");
      Schema parsed = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
      assertThat(parsed).as(file.toString()).isEqualTo(expected);
    }
    try (var files = Files.list(BUILT)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .isEqualTo(
              List.of(
                  "ActOneCommand.avsc",
                  "RenderCompleted.avsc",
                  "RenderFailed.avsc",
                  "RestyleCommand.avsc"));
    }
  }
}
