package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.devstack.simulator.AnswerFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The happy path through the embedded stack, both job kinds, both answer formats: one paid
 * submission and one terminal event per job, and the S3 objects equal what the provider served.
 */
@Timeout(120)
class PipelineIT {

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static S3Objects s3;

  @BeforeAll
  static void start() throws Exception {
    e2e.worker("it-1");
    s3 = e2e.s3();
  }

  @AfterEach
  void classicAgain() {
    e2e.sim().answerFormat(AnswerFormat.CLASSIC);
    assertThat(e2e.events().duplicated()).as("jobs with more than one terminal event").isEmpty();
  }

  @Test
  void classicAnswersEndInS3WithVideoPosterAndLastFrame() throws Exception {
    String a = "restyle-" + UUID.randomUUID();
    String b = "actone-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(a, Instant.now()));
    e2e.commands().send(Commands.actOne(b, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(a, b), Duration.ofSeconds(60))).isEqualTo(2);

    RenderCompleted restyle = Expect.completed(e2e.events(), a);
    assertThat(restyle.getJobType()).isEqualTo(JobType.RESTYLE);
    assertThat(restyle.getVideo().getKey()).isEqualTo("renders/restyle/" + a + "/video.mp4");
    assertThat(restyle.getAttempts()).isEqualTo(1);
    assertThat(restyle.getMetadata()).containsEntry("origin", "e2e").containsEntry("job", a);
    assertThat(restyle.getPrompt()).isEqualTo("pixelated style");
    Expect.outputsInS3(restyle, s3, e2e.sim(), true);

    RenderCompleted actOne = Expect.completed(e2e.events(), b);
    assertThat(actOne.getJobType()).isEqualTo(JobType.ACT_ONE);
    assertThat(actOne.getVideo().getKey()).isEqualTo("renders/act-one/" + b + "/video.mp4");
    Expect.outputsInS3(actOne, s3, e2e.sim(), true);

    assertThat(e2e.sim().taskIdsOfJob(a)).containsExactly(restyle.getProviderTaskId());
    assertThat(e2e.sim().taskIdsOfJob(b)).containsExactly(actOne.getProviderTaskId());
    Expect.paid(e2e.sim(), 1, List.of(a, b));
  }

  @Test
  void modernAnswersWithTheVideoInAnyOfItsThreePlacesEndInS3() throws Exception {
    e2e.sim().answerFormat(AnswerFormat.MODERN);
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String r = "restyle-m-" + UUID.randomUUID();
      String a = "actone-m-" + UUID.randomUUID();
      e2e.commands().send(Commands.restyle(r, Instant.now()));
      e2e.commands().send(Commands.actOne(a, Instant.now()));
      jobs.add(r);
      jobs.add(a);
    }
    assertThat(e2e.events().awaitTerminal(jobs, Duration.ofSeconds(60))).isEqualTo(jobs.size());
    for (String job : jobs) {
      RenderCompleted done = Expect.completed(e2e.events(), job);
      Expect.outputsInS3(done, s3, e2e.sim(), false);
    }
    Expect.paid(e2e.sim(), 1, jobs);
  }
}
