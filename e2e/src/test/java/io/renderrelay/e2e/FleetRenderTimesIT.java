package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 15: the poll plan learns from the fleet. A replica started after another one completed
 * renders, and that ran none itself, holds those render times from the events topic; the replica
 * that ran them counts each once (its own poll and its own event are not both counted).
 */
@Timeout(180)
class FleetRenderTimesIT {

  private static final int JOBS = 5;
  private static final String LEARNED = "render_relay_poll_learned_renders";

  private DevStack stack;
  private Commands commands;
  private EventCollector events;
  private final List<RenderRelayWorker> workers = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1))));
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
  }

  @AfterEach
  void stop() throws Exception {
    for (RenderRelayWorker w : workers) {
      w.close();
    }
    Closing.all(events, commands, stack);
  }

  private RenderRelayWorker worker(String id) throws Exception {
    RenderRelayWorker w =
        RenderRelayWorker.start(
            new WorkerSettings(stack, id).with("poll.learned.min-samples", "3").config(),
            Clock.systemUTC());
    workers.add(w);
    return w;
  }

  private static double learned(RenderRelayWorker w) {
    return PrometheusText.parse(w.metrics().scrape()).sum(LEARNED, "job_type", "restyle");
  }

  private static double awaitLearned(RenderRelayWorker w, String who) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (learned(w) < JOBS && System.nanoTime() < until) {
      Thread.sleep(100);
    }
    assertThat(learned(w)).as(who + " learned the fleet's renders within 30 s").isEqualTo(JOBS);
    return learned(w);
  }

  @Test
  void aReplicaThatRanNoJobLearnsTheRenderTimesOfTheOthersJobs() throws Exception {
    RenderRelayWorker first = worker("fleet-a");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      String id = "fleet-" + UUID.randomUUID();
      commands.send(Commands.restyle(id, Instant.now()));
      jobs.add(id);
    }
    assertThat(events.awaitTerminal(jobs, Duration.ofSeconds(60))).isEqualTo(JOBS);
    awaitLearned(first, "the replica that ran the jobs");

    RenderRelayWorker second = worker("fleet-b");
    awaitLearned(second, "a replica that ran no job");
    Thread.sleep(1000); // further reads count nothing again
    assertThat(learned(first)).as("each render once on the replica that ran it").isEqualTo(JOBS);
    assertThat(learned(second)).isEqualTo(JOBS);
    assertThat(PrometheusText.parse(second.metrics().scrape()).sum(LEARNED, "job_type", "act_one"))
        .isZero();
  }
}
