package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An operator renames (or recreates) the ledger topic of a fleet that has run jobs: the new topic
 * is empty, so every job would be forgotten (a re-published command of a paid job paid again, the
 * poll tickets of running jobs dropped as stale). The worker refuses to start, naming the topic and
 * the way out, instead of running on an empty ledger.
 */
@Timeout(180)
class RenamedLedgerTopicIT {

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)));

  @Test
  void aWorkerRefusesAnEmptyLedgerTopicOfAGroupThatHasConsumedCommands() throws Exception {
    String job = "renamed-" + UUID.randomUUID();
    try (RenderRelayWorker first =
        RenderRelayWorker.start(e2e.settings("renamed-it").config(), Clock.systemUTC())) {
      e2e.commands().send(Commands.restyle(job, Instant.now()));
      assertThat(e2e.events().awaitTerminal(List.of(job), Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(first.fatal()).as("the first worker ran without a fatal error").isEmpty();
    }

    assertThatThrownBy(
            () ->
                RenderRelayWorker.start(
                    e2e.settings("renamed-it")
                        .with("topics.jobs", e2e.topic("render.jobs.renamed"))
                        .config(),
                    Clock.systemUTC()))
        .hasMessageContaining("render.jobs.renamed")
        .hasMessageContaining("empty")
        .hasMessageContaining("topics.jobs");
  }
}
