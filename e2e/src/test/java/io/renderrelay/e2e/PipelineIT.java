package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.AnswerFormat;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The happy path through the embedded stack, both job kinds, both answer formats: one paid
 * submission and one terminal event per job, and the S3 objects equal what the provider served.
 */
@Timeout(120)
class PipelineIT {

  static DevStack stack;
  static RenderRelayWorker worker;
  static Commands commands;
  static EventCollector events;
  static S3Objects s3;
  static SimulatorControl sim;

  @BeforeAll
  static void start() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withRenderTimeOverride(Duration.ofSeconds(1))
                        .withTaskNotExistWindow(Duration.ofMillis(300))));
    sim = stack.simulator().control();
    worker = RenderRelayWorker.start(new WorkerSettings(stack, "it-1").config(), Clock.systemUTC());
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    s3 = new S3Objects(stack);
  }

  @AfterEach
  void classicAgain() {
    sim.answerFormat(AnswerFormat.CLASSIC);
    assertThat(events.duplicated()).as("jobs with more than one terminal event").isEmpty();
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(s3, events, commands, worker, stack);
  }

  @Test
  void classicAnswersEndInS3WithVideoPosterAndLastFrame() throws Exception {
    String a = "restyle-" + UUID.randomUUID();
    String b = "actone-" + UUID.randomUUID();
    commands.send(Commands.restyle(a, Instant.now()));
    commands.send(Commands.actOne(b, Instant.now()));
    assertThat(events.awaitTerminal(List.of(a, b), Duration.ofSeconds(60))).isEqualTo(2);

    RenderCompleted restyle = Expect.completed(events, a);
    assertThat(restyle.getJobType()).isEqualTo(JobType.RESTYLE);
    assertThat(restyle.getVideo().getKey()).isEqualTo("renders/restyle/" + a + "/video.mp4");
    assertThat(restyle.getAttempts()).isEqualTo(1);
    assertThat(restyle.getMetadata()).containsEntry("origin", "e2e").containsEntry("job", a);
    assertThat(restyle.getPrompt()).isEqualTo("pixelated style");
    Expect.outputsInS3(restyle, s3, sim, true);

    RenderCompleted actOne = Expect.completed(events, b);
    assertThat(actOne.getJobType()).isEqualTo(JobType.ACT_ONE);
    assertThat(actOne.getVideo().getKey()).isEqualTo("renders/act-one/" + b + "/video.mp4");
    Expect.outputsInS3(actOne, s3, sim, true);

    assertThat(sim.taskIdsOfJob(a)).containsExactly(restyle.getProviderTaskId());
    assertThat(sim.taskIdsOfJob(b)).containsExactly(actOne.getProviderTaskId());
    Expect.paid(sim, 1, List.of(a, b));
  }

  @Test
  void modernAnswersWithTheVideoInAnyOfItsThreePlacesEndInS3() throws Exception {
    sim.answerFormat(AnswerFormat.MODERN);
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String r = "restyle-m-" + UUID.randomUUID();
      String a = "actone-m-" + UUID.randomUUID();
      commands.send(Commands.restyle(r, Instant.now()));
      commands.send(Commands.actOne(a, Instant.now()));
      jobs.add(r);
      jobs.add(a);
    }
    assertThat(events.awaitTerminal(jobs, Duration.ofSeconds(60))).isEqualTo(jobs.size());
    for (String job : jobs) {
      RenderCompleted done = Expect.completed(events, job);
      Expect.outputsInS3(done, s3, sim, false);
    }
    Expect.paid(sim, 1, jobs);
  }
}
