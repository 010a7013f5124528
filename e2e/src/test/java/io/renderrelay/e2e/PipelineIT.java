package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RenderCompleted;
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

@Timeout(300)
class PipelineIT {

  static DevStack stack;
  static RenderRelayWorker worker;
  static Commands commands;
  static EventCollector events;

  @BeforeAll
  static void start() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withRenderTimeOverride(Duration.ofSeconds(1))
                        .withTaskNotExistWindow(Duration.ofMillis(300))));
    worker = RenderRelayWorker.start(new WorkerSettings(stack, "it-1").config(), Clock.systemUTC());
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events = new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
  }

  @AfterAll
  static void stop() throws Exception {
    if (events != null) {
      events.close();
    }
    if (commands != null) {
      commands.close();
    }
    if (worker != null) {
      worker.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void restyleAndActOneEndInS3WithOneEventAndOnePaidSubmissionEach() throws Exception {
    String a = "restyle-" + UUID.randomUUID();
    String b = "actone-" + UUID.randomUUID();
    commands.send(Commands.restyle(a, Instant.now()));
    commands.send(Commands.actOne(b, Instant.now()));
    assertThat(events.awaitTerminal(List.of(a, b), Duration.ofSeconds(60))).isEqualTo(2);
    RenderCompleted done = (RenderCompleted) events.eventsOf(a).get(0);
    assertThat(done.getVideo().getKey()).endsWith("/restyle/" + a + "/video.mp4");
    assertThat(done.getVideo().getSha256())
        .isEqualTo(stack.simulator().control().outputChecksum(done.getProviderTaskId(), io.renderrelay.devstack.simulator.OutputKind.VIDEO));
    assertThat(events.eventsOf(b).get(0)).isInstanceOf(RenderCompleted.class);
    assertThat(stack.simulator().control().paidSubmissions()).containsEntry(a, 1).containsEntry(b, 1);
  }
}
