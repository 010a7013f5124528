package io.renderrelay.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.ConfigDocGenerator;
import io.renderrelay.worker.metrics.MetricsDocGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Fails when a generated reference under docs/ is out of date with its declarations. Regenerate
 * with the command in the failure message.
 */
class GeneratedDocsTest {
  private static final String WRITE_PROPERTY = "render-relay.write-docs";
  private static final String REGENERATE =
      "mvn -B -ntp -pl worker -am test -Dtest=GeneratedDocsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -D"
          + WRITE_PROPERTY
          + "=true";

  @Test
  void configurationReferenceIsUpToDate() throws IOException {
    check(ConfigDocGenerator.DOC_PATH, ConfigDocGenerator::generate);
  }

  @Test
  void metricsReferenceIsUpToDate() throws IOException {
    check(MetricsDocGenerator.DOC_PATH, MetricsDocGenerator::generate);
  }

  private static void check(String relative, Supplier<String> generator) throws IOException {
    Path file = repositoryRoot().resolve(relative);
    String expected = generator.get();
    if (Boolean.getBoolean(WRITE_PROPERTY)) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, expected, StandardCharsets.UTF_8);
    }
    String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    assertThat(actual)
        .as(
            "%s is out of date with its declarations; regenerate it with:%n  %s",
            relative, REGENERATE)
        .isEqualTo(expected);
  }

  /** The directory holding the root pom and the worker module. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("worker"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "repository root not found above " + Path.of("").toAbsolutePath());
  }
}
