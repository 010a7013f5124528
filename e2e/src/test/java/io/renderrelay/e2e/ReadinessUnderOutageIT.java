package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A credit outage and a registry outage, which every replica shares: both show in the readiness
 * details and the metrics, and the worker stays ready (callbacks keep their endpoints, a drain is
 * not blocked by a PodDisruptionBudget of NotReady pods).
 */
@Timeout(120)
class ReadinessUnderOutageIT {

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)))
          .ownStack();

  static RenderRelayWorker worker;
  static WorkerProbe probe;

  @BeforeAll
  static void start() throws Exception {
    WorkerSettings settings = e2e.settings("outage-1");
    worker = e2e.worker(settings);
    probe = new WorkerProbe(settings);
  }

  @Test
  void creditAndRegistryOutagesShowInDetailsAndMetricsNotInReadiness() throws Exception {
    assertThat(WorkerProbe.await(Duration.ofSeconds(20), () -> probe.ready().status() == 200))
        .as("ready at start: %s", probe.ready())
        .isTrue();

    e2e.sim().faults().noCredit(true);
    e2e.commands().send(Commands.restyle("outage-" + UUID.randomUUID(), Instant.now()));
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(30),
                () ->
                    probe.metric("render_relay_submission_gate_state", "state=\"paused_no_credit\"")
                        == 1))
        .as("the gate closed on no credit")
        .isTrue();
    assertThat(dependency(probe.ready(), "submissions").path("status").asText()).isEqualTo("DOWN");
    assertThat(probe.ready().status()).as("ready during a credit outage").isEqualTo(200);

    e2e.stack().registry().close(); // a stack of its own: no other IT shares this registry
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(30),
                () ->
                    dependency(probe.ready(), "schema-registry")
                        .path("status")
                        .asText()
                        .equals("DOWN")))
        .as("the registry outage shows in the details: %s", probe.ready())
        .isTrue();
    assertThat(probe.metric("render_relay_dependency_up", "dependency=\"schema_registry\""))
        .isZero();
    assertThat(probe.metric("render_relay_dependency_up", "dependency=\"kafka\"")).isEqualTo(1);
    assertThat(probe.ready().status()).as("ready during a registry outage").isEqualTo(200);
    assertThat(probe.get("/health/live").status()).isEqualTo(200);
  }

  private static JsonNode dependency(WorkerProbe.Answer ready, String name) {
    try {
      for (JsonNode d : new ObjectMapper().readTree(ready.body()).path("dependencies")) {
        if (d.path("name").asText().equals(name)) {
          return d;
        }
      }
      return new ObjectMapper().createObjectNode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
