package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** JSON shapes of both answer formats, at every phase. */
class FeedAnswersTest {
  private static final Instant T0 = Instant.parse("2026-03-04T05:06:07Z");
  private static final String BASE = "http://127.0.0.1:1234";

  private static SimTask task(String id, SimTask.Outcome outcome, String reason, String unknown) {
    return new SimTask(
        id,
        "rw-" + id,
        JobKind.RESTYLE,
        "job",
        "http://cb",
        "pixelated style",
        T0,
        T0.plusSeconds(2),
        Duration.ofSeconds(100),
        outcome,
        reason,
        unknown);
  }

  private static SimTask ok(String id) {
    return task(id, SimTask.Outcome.SUCCEEDED, "", null);
  }

  @Test
  void classicWhileRunning() {
    ObjectNode d = FeedAnswers.data(ok("t1"), T0.plusSeconds(55), AnswerFormat.CLASSIC, BASE);
    assertThat(d.get("task_id").asText()).isEqualTo("t1");
    assertThat(d.get("status").asText()).isEqualTo("1");
    assertThat(d.get("status").isTextual()).isTrue();
    assertThat(d.get("state").asText()).isEmpty();
    assertThat(d.get("video_url").asText()).isEmpty();
    assertThat(d.get("progress").asInt()).isEqualTo(50);
    assertThat(d.get("create_time").asText()).isEqualTo(Long.toString(T0.getEpochSecond()));
    assertThat(d.get("create_time").isTextual()).isTrue();
    assertThat(d.get("update_time").asText())
        .isEqualTo(Long.toString(T0.plusSeconds(10).getEpochSecond()));
    assertThat(d.has("refund")).isFalse();
    assertThat(
            FeedAnswers.data(ok("t1"), T0.plusSeconds(3), AnswerFormat.CLASSIC, BASE)
                .get("status")
                .asText())
        .isEqualTo("0");
  }

  @Test
  void classicSucceededAndFailed() {
    ObjectNode d = FeedAnswers.data(ok("t1"), T0.plusSeconds(200), AnswerFormat.CLASSIC, BASE);
    assertThat(d.get("status").asText()).isEqualTo("3");
    assertThat(d.get("state").asText()).isEqualTo("succeeded");
    assertThat(d.get("video_url").asText()).isEqualTo(BASE + "/files/t1/video.mp4");
    assertThat(d.get("poster").asText()).isEqualTo(BASE + "/files/t1/poster.png");
    assertThat(d.get("last_frame").asText()).isEqualTo(BASE + "/files/t1/last_frame.png");
    assertThat(d.get("prompt_en").asText()).isEqualTo("pixelated style");

    SimTask bad = task("t2", SimTask.Outcome.FAILED_MODERATION, "SAFETY.INPUT.TEXT: x", null);
    ObjectNode f = FeedAnswers.data(bad, T0.plusSeconds(200), AnswerFormat.CLASSIC, BASE);
    assertThat(f.get("status").asText()).isEqualTo("2");
    assertThat(f.get("state").asText()).isEmpty();
    assertThat(f.get("msg").asText()).isEqualTo("SAFETY.INPUT.TEXT: x");
    assertThat(f.get("refund").asInt()).isZero();
    assertThat(f.get("video_url").asText()).isEmpty();
  }

  @Test
  void classicEnvelope() {
    ObjectNode env =
        FeedAnswers.envelope(
            AnswerFormat.CLASSIC,
            FeedAnswers.data(ok("t1"), T0.plusSeconds(3), AnswerFormat.CLASSIC, BASE),
            0.42);
    assertThat(env.get("code").isInt()).isTrue();
    assertThat(env.get("code").asInt()).isEqualTo(200);
    assertThat(env.get("msg").asText()).isEqualTo("success");
    assertThat(env.get("exec_time").asDouble()).isEqualTo(0.42);
    assertThat(env.get("data").get("task_id").asText()).isEqualTo("t1");
  }

  @Test
  void modernWhileQueuedAndRunning() {
    ObjectNode q = FeedAnswers.data(ok("t1"), T0.plusSeconds(3), AnswerFormat.MODERN, BASE);
    assertThat(q.get("status").asText()).isEqualTo("QUEUED");
    assertThat(q.get("action").asText()).isEqualTo("VIDEO_TO_VIDEO");
    assertThat(q.get("start_time").asLong()).isZero();
    assertThat(q.get("finish_time").asLong()).isZero();
    assertThat(q.get("submit_time").isIntegralNumber()).isTrue();
    assertThat(q.get("data").get("status").asText()).isEqualTo("PENDING");
    ObjectNode r = FeedAnswers.data(ok("t1"), T0.plusSeconds(55), AnswerFormat.MODERN, BASE);
    assertThat(r.get("status").asText()).isEqualTo("IN_PROGRESS");
    assertThat(r.get("progress").asText()).isEqualTo("50%");
    assertThat(r.get("start_time").asLong()).isEqualTo(T0.getEpochSecond() + 10);
    assertThat(r.get("data").get("status").asText()).isEqualTo("RUNNING");
    OffsetDateTime created = OffsetDateTime.parse(r.get("data").get("createdAt").asText());
    assertThat(created.toInstant()).isEqualTo(T0);
  }

  @Test
  void modernSucceededPutsTheUrlInVaryingPlacesButAlwaysInOutput() {
    Set<String> places = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      ObjectNode d = FeedAnswers.data(ok("t" + i), T0.plusSeconds(200), AnswerFormat.MODERN, BASE);
      String video = BASE + "/files/t" + i + "/video.mp4";
      assertThat(d.get("status").asText()).isEqualTo("SUCCESS");
      assertThat(d.get("finish_time").asLong()).isEqualTo(T0.getEpochSecond() + 100);
      assertThat(d.get("data").get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(d.get("data").get("output").get(0).asText()).isEqualTo(video);
      places.add(d.has("result_url") ? "result_url" : d.has("video_url") ? "video_url" : "none");
    }
    assertThat(places).containsExactlyInAnyOrder("result_url", "video_url", "none");
  }

  @Test
  void modernFailureAndEnvelope() {
    SimTask bad = task("t2", SimTask.Outcome.FAILED_REFUNDED, "internal error", null);
    ObjectNode d = FeedAnswers.data(bad, T0.plusSeconds(200), AnswerFormat.MODERN, BASE);
    assertThat(d.get("status").asText()).isEqualTo("FAILURE");
    assertThat(d.get("fail_reason").asText()).isEqualTo("internal error");
    assertThat(d.get("data").get("status").asText()).isEqualTo("FAILED");
    assertThat(d.get("data").has("output")).isFalse();
    ObjectNode env = FeedAnswers.envelope(AnswerFormat.MODERN, d, 0.1);
    assertThat(env.get("code").asText()).isEqualTo("success");
    assertThat(env.get("message").asText()).isEmpty();
    assertThat(env.has("msg")).isFalse();
  }

  @Test
  void unknownStatusUntilTheTaskEnds() {
    SimTask odd = task("t3", SimTask.Outcome.SUCCEEDED, "", "WEIRD_STATE");
    for (AnswerFormat f : AnswerFormat.values()) {
      assertThat(FeedAnswers.data(odd, T0.plusSeconds(50), f, BASE).get("status").asText())
          .isEqualTo("WEIRD_STATE");
    }
    assertThat(
            FeedAnswers.data(odd, T0.plusSeconds(100), AnswerFormat.CLASSIC, BASE)
                .get("status")
                .asText())
        .isEqualTo("3");
    assertThat(
            FeedAnswers.data(odd, T0.plusSeconds(100), AnswerFormat.MODERN, BASE)
                .get("status")
                .asText())
        .isEqualTo("SUCCESS");
  }

  @Test
  void submitAnswerAndErrorBody() {
    ObjectNode s = FeedAnswers.submitted("t9", null, 0.3);
    assertThat(s.get("code").asInt()).isEqualTo(200);
    assertThat(s.get("data").get("task_id").asText()).isEqualTo("t9");
    JsonNode e = FeedAnswers.error("task_not_exist", "task_not_exist").get("error");
    assertThat(e.get("type").asText()).isEqualTo("comet_api_error");
    assertThat(e.get("code").asText()).isEqualTo("task_not_exist");
    assertThat(e.get("message").asText()).isEqualTo("task_not_exist");
  }
}
