package io.renderrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs scripts/check-asyncapi (the official AsyncAPI parser from npm) on docs/asyncapi.yaml.
 * Skipped only when node or npm is not installed; any failure of the check fails the test.
 */
class AsyncApiParserIT {

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void officialParserAcceptsTheDocument() throws Exception {
    assumeTrue(
        onPath("node") && onPath("npm"), "node/npm not installed: AsyncAPI parser check skipped");
    Path root = AsyncApiDriftTest.findRoot();
    Path out = Files.createTempFile("check-asyncapi", ".log");
    Process p =
        new ProcessBuilder("bash", root.resolve("scripts/check-asyncapi").toString())
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    boolean done = p.waitFor(4, TimeUnit.MINUTES);
    if (!done) {
      p.destroyForcibly();
    }
    String log = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(done).as("check-asyncapi finished in time; output:\n%s", log).isTrue();
    assertThat(p.exitValue()).as("check-asyncapi exit code; output:\n%s", log).isZero();
    assertThat(log).contains("VALID: ").doesNotContain("INVALID");
  }

  static boolean onPath(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
