package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An operator renames (or recreates) the ledger topic of a fleet that has run jobs: the new topic
 * is empty, so every job would be forgotten (a re-published command of a paid job paid again, the
 * poll tickets of running jobs dropped as stale). The worker refuses to start, naming the topic and
 * the way out, instead of running on an empty ledger.
 */
@Timeout(180)
class RenamedLedgerTopicIT {

  static DevStack stack;
  static Commands commands;
  static EventCollector events;

  @BeforeAll
  static void start() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1))));
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(events, commands, stack);
  }

  @Test
  void aWorkerRefusesAnEmptyLedgerTopicOfAGroupThatHasConsumedCommands() throws Exception {
    String job = "renamed-" + UUID.randomUUID();
    try (RenderRelayWorker first =
        RenderRelayWorker.start(
            new WorkerSettings(stack, "renamed-it").config(), Clock.systemUTC())) {
      commands.send(Commands.restyle(job, Instant.now()));
      assertThat(events.awaitTerminal(List.of(job), Duration.ofSeconds(60))).isEqualTo(1);
      assertThat(first.fatal()).as("the first worker ran without a fatal error").isEmpty();
    }

    assertThatThrownBy(
            () ->
                RenderRelayWorker.start(
                    new WorkerSettings(stack, "renamed-it")
                        .with("topics.jobs", "render.jobs.renamed")
                        .config(),
                    Clock.systemUTC()))
        .hasMessageContaining("render.jobs.renamed")
        .hasMessageContaining("empty")
        .hasMessageContaining("topics.jobs");
  }
}
