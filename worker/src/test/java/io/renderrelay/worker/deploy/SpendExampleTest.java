package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.config.WorkerConfig;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The spend configuration example of docs/operations.md loads as the worker would load it. */
class SpendExampleTest {

  @Test
  void theRunbooksSpendExampleLoads() throws Exception {
    String ops = DeployFiles.text(DeployFiles.OPERATIONS);
    String section = ops.substring(ops.indexOf("## Spend and budgets"));
    int start = section.indexOf("```properties\n") + "```properties\n".length();
    Properties p = new Properties();
    p.load(new StringReader(section.substring(start, section.indexOf("```", start))));
    Map<String, String> overrides = new HashMap<>();
    p.stringPropertyNames().forEach(k -> overrides.put(k, p.getProperty(k)));
    Map<String, String> env =
        Map.of(
            "RENDER_RELAY_PROVIDER_API_KEY", "sk-example-0123456789",
            "RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "https://relay.example.com/callbacks",
            "RENDER_RELAY_STORAGE_BUCKET", "renders-bucket",
            "RENDER_RELAY_INSTANCE_CALLBACK_SECRET", "cb-secret-0123456789");

    WorkerConfig c = ConfigLoader.load(new ConfigSources(overrides, env, Optional.empty()));

    assertThat(overrides).containsKeys("spend.enabled", "spend.prices", "spend.global-cap");
    assertThat(c.spend().enabled()).isTrue();
    assertThat(c.spend().globalCap())
        .contains(new SpendSettings.Cap(500_000_000, SpendSettings.Period.DAY));
    assertThat(c.spend().tenantCaps()).containsOnlyKeys("acme", "globex");
    assertThat(c.spend().prices()).hasSize(3);
  }
}
