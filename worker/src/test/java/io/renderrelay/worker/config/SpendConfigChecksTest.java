package io.renderrelay.worker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spend settings that would quietly break the journal or the overspend bound are refused. */
class SpendConfigChecksTest {

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("RENDER_RELAY_PROVIDER_API_KEY", "sk-live-0123456789abcdef");
    env.put("RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL", "https://relay.example.com/callbacks");
    env.put("RENDER_RELAY_STORAGE_BUCKET", "renders-bucket");
    env.put("RENDER_RELAY_INSTANCE_CALLBACK_SECRET", "cb-secret-0123456789");
    env.put("RENDER_RELAY_SPEND_ENABLED", "true");
    return env;
  }

  private static String problems(Map<String, String> env) {
    return assertThrows(
            ConfigException.class,
            () -> ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty())))
        .getMessage();
  }

  @Test
  void theSpendJournalCannotShareATopicWithTheLedgerOrTheEvents() {
    for (String taken : new String[] {"render.jobs", "render.events"}) {
      Map<String, String> env = env();
      env.put("RENDER_RELAY_SPEND_TOPIC", taken);
      assertThat(problems(env)).as(taken).contains("spend.topic", "topic is also used by");
    }
  }

  @Test
  void aReadBackTimeoutNotAboveTheTransactionTimeoutIsRefused() {
    Map<String, String> env = env();
    env.put("RENDER_RELAY_SPEND_READ_BACK_TIMEOUT", "30s");
    assertThat(problems(env)).contains("spend.read-back-timeout", "transaction timeout");
    Map<String, String> raised = env();
    raised.put("RENDER_RELAY_KAFKA_CLIENT_TRANSACTION_TIMEOUT_MS", "300000");
    assertThat(problems(raised)).contains("spend.read-back-timeout", "transaction timeout");
  }

  @Test
  void theDefaultsPass() throws Exception {
    assertThat(ConfigLoader.load(new ConfigSources(Map.of(), env(), Optional.empty())).spend())
        .satisfies(s -> assertThat(s.enabled()).isTrue());
  }
}
