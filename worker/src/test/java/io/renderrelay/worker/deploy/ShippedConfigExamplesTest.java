package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.ConfigException;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.KafkaKeys;
import io.renderrelay.worker.config.ProviderKeys;
import io.renderrelay.worker.config.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The worker settings the repository ships (docker-compose.yml's worker service, the settings
 * examples/run-worker exports) go through the worker's own ConfigLoader, so a shipped value the
 * worker would refuse at start fails here. The Helm chart's rendered ConfigMap is loaded the same
 * way in HelmChartIT. Both dev setups keep the production input URL rules (strict-input-urls).
 */
class ShippedConfigExamplesTest {
  private static final List<String> READY_LINE =
      List.of(
          "kafka=127.0.0.1:41234",
          "registry=http://127.0.0.1:35678",
          "s3=http://127.0.0.1:39012",
          "provider=http://127.0.0.1:33456");

  @Test
  void composeWorkerSettingsLoad() throws ConfigException {
    Map<String, String> env =
        DeployFiles.stringMap(
            DeployFiles.yaml(DeployFiles.COMPOSE).at("/services/worker/environment"));
    env.remove(WorkerEnv.LOG_LEVEL_VAR);
    WorkerConfig config = ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()));
    assertThat(config.jobs().devMode()).isTrue();
    assertThat(config.jobs().strictInputUrls()).as("strict input URLs in compose").isTrue();
    assertThat(env.get(ProviderKeys.PROVIDER_CALLBACK_BASE_URL.envName()))
        .isEqualTo("http://127.0.0.1:8080/callbacks");
  }

  @Test
  void runWorkerSettingsLoad() throws Exception {
    Map<String, String> env = runWorkerEnv(Map.of());
    WorkerConfig config = ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()));
    assertThat(config.jobs().strictInputUrls()).as("strict input URLs in run-worker").isTrue();
    assertThat(env)
        .containsEntry(ProviderKeys.PROVIDER_API_KEY.envName(), "sim-key")
        .containsEntry(KafkaKeys.KAFKA_BOOTSTRAP_SERVERS.envName(), "127.0.0.1:41234")
        .containsEntry(
            ProviderKeys.PROVIDER_CALLBACK_BASE_URL.envName(), "http://127.0.0.1:18080/callbacks");
  }

  @Test
  void runWorkerKeepsAProviderKeyTheCallerSet() throws Exception {
    Map<String, String> env =
        runWorkerEnv(Map.of(ProviderKeys.PROVIDER_API_KEY.envName(), "caller-key-4711"));
    assertThat(env.get(ProviderKeys.PROVIDER_API_KEY.envName()))
        .as("the caller's key, masked in the print, never replaced by sim-key")
        .isEqualTo("***");
  }

  /** {@code RR_PRINT_ENV=1 examples/run-worker <READY fields>} in a clean environment. */
  private static Map<String, String> runWorkerEnv(Map<String, String> extra)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
            concat(List.of("bash", DeployFiles.path("examples/run-worker").toString())));
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("RENDER_RELAY_") || k.startsWith("RR_"));
    env.put("RR_PRINT_ENV", "1");
    env.putAll(extra);
    Process p = builder.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    Map<String, String> printed = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (line.startsWith("RENDER_RELAY_") && eq > 0) {
        printed.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertThat(printed).as(out).isNotEmpty();
    return printed;
  }

  private static List<String> concat(List<String> command) {
    return java.util.stream.Stream.concat(command.stream(), READY_LINE.stream()).toList();
  }

  @Test
  void readyLineFieldsAreTheOnesExamplesReadmeShows() {
    assertThat(DeployFiles.text("examples/README.md")).contains(String.join(" ", READY_LINE));
  }
}
