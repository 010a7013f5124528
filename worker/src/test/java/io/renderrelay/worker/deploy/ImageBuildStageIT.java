package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs scripts/check-image-build: the build stage of worker/Dockerfile on a scratch copy of exactly
 * the files it copies, with its own Maven command (offline), so the image build is checked in every
 * build although no Docker engine runs here. A Dockerfile that copies too little (the six poms of
 * old, without examples/java) must fail the same check.
 */
class ImageBuildStageIT {
  @TempDir Path tmp;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void theDockerfilesBuildStageBuildsTheImageContent() throws Exception {
    Run run = checkImageBuild(DeployFiles.DOCKERFILE);
    assertThat(run.exit()).as("check-image-build exit code; output:\n%s", run.log()).isZero();
    assertThat(run.log())
        .contains("COPY --from=build /src/worker/target/dist/lib/")
        .contains("COPY --from=build /src/devstack/target/dist/lib/")
        .contains("check-image-build: OK");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aBuildStageThatForgetsAModuleFails() throws Exception {
    String copyAll = "COPY . ./\n";
    String dockerfile = DeployFiles.text(DeployFiles.DOCKERFILE);
    assertThat(dockerfile).contains(copyAll);
    StringBuilder modulesButExamples = new StringBuilder("COPY pom.xml ./\n");
    for (String module : new String[] {"schemas", "client", "worker", "devstack", "e2e"}) {
      modulesButExamples.append("COPY ").append(module).append(' ').append(module).append("/\n");
    }
    Path broken = tmp.resolve("Dockerfile");
    Files.writeString(broken, dockerfile.replace(copyAll, modulesButExamples.toString()));

    Run run = checkImageBuild(broken.toString());
    assertThat(run.exit()).as("output:\n%s", run.log()).isNotZero();
    assertThat(run.log()).contains("examples/java", "does not exist");
  }

  private static Run checkImageBuild(String dockerfile) throws IOException, InterruptedException {
    Path root = DeployFiles.root();
    Path out = Files.createTempFile("check-image-build", ".log");
    try {
      Process p =
          new ProcessBuilder(
                  "bash", root.resolve("scripts/check-image-build").toString(), dockerfile)
              .directory(root.toFile())
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      boolean done = p.waitFor(4, TimeUnit.MINUTES);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String log = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(done).as("check-image-build finished in time; output:\n%s", log).isTrue();
      return new Run(p.exitValue(), log);
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private record Run(int exit, String log) {}
}
