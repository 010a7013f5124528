package io.renderrelay.worker.provider;

import static io.renderrelay.worker.provider.Fixtures.API_KEY;
import static io.renderrelay.worker.provider.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderAnswerParserTest {

  private final ProviderAnswerParser parser = Fixtures.parser();

  private TaskSnapshot snapshot(String body, String taskId) throws ProviderAnswerException {
    return parser.snapshot(parser.parseEnvelope(body), taskId);
  }

  @Test
  void classicSuccessCarriesUrlsPromptsAndTimes() throws Exception {
    TaskSnapshot s = snapshot(read("classic-succeeded.json"), "c1a55ic-0003");
    assertThat(s.taskId()).isEqualTo("c1a55ic-0003");
    assertThat(s.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(s.rawStatus()).isEqualTo("3");
    assertThat(s.videoUrl())
        .contains(URI.create("https://cdn.example.net/renders/c1a55ic-0003.mp4"));
    assertThat(s.posterUrl())
        .contains(URI.create("https://cdn.example.net/renders/c1a55ic-0003-poster.png"));
    assertThat(s.lastFrameUrl())
        .contains(URI.create("https://cdn.example.net/renders/c1a55ic-0003-last.png"));
    assertThat(s.prompt()).contains("pixelated style");
    assertThat(s.promptEn()).contains("pixelated style");
    assertThat(s.failure()).isEmpty();
    assertThat(s.createdAt()).contains(Instant.ofEpochSecond(1732550000));
    assertThat(s.updatedAt()).contains(Instant.ofEpochSecond(1732550150));
  }

  @ParameterizedTest
  @CsvSource({
    "classic-queued.json, c1a55ic-0000, PENDING, 0",
    "classic-processing.json, c1a55ic-0001, RUNNING, 1",
    "classic-failed.json, c1a55ic-0002, FAILED, 2",
    "classic-succeeded.json, c1a55ic-0003, SUCCEEDED, 3",
    "modern-in-progress.json, m0dern-45, RUNNING, IN_PROGRESS",
    "modern-success-result-url.json, m0dern-ok-1, SUCCEEDED, SUCCESS",
    "modern-failure-safety.json, m0dern-bad-1, FAILED, FAILURE",
  })
  void everyFixtureNormalises(String file, String id, TaskStatus status, String raw)
      throws Exception {
    TaskSnapshot s = snapshot(read(file), id);
    assertThat(s.status()).isEqualTo(status);
    assertThat(s.rawStatus()).isEqualTo(raw);
  }

  @Test
  void classicPendingIgnoresEmptyUrlsAndReadsNumericProgress() throws Exception {
    TaskSnapshot queued = snapshot(read("classic-queued.json"), "c1a55ic-0000");
    assertThat(queued.videoUrl()).isEmpty();
    assertThat(queued.posterUrl()).isEmpty();
    assertThat(queued.progressPercent()).isEmpty();
    assertThat(snapshot(read("classic-processing.json"), "c1a55ic-0001").progressPercent())
        .contains(30);
  }

  @Test
  void classicFailureIsRefundedNotModeration() throws Exception {
    TaskFailure f = snapshot(read("classic-failed.json"), "c1a55ic-0002").failure().orElseThrow();
    assertThat(f.moderation()).isFalse();
    assertThat(f.refunded()).isTrue();
    assertThat(f.reason()).isEqualTo("Generation failed, credits refunded");
  }

  @Test
  void modernProgressPercentAndTimes() throws Exception {
    TaskSnapshot s = snapshot(read("modern-in-progress.json"), "m0dern-45");
    assertThat(s.progressPercent()).contains(45);
    assertThat(s.createdAt()).contains(Instant.ofEpochSecond(1732550000));
    // finish_time 0 means unset: the start time is the latest known update
    assertThat(s.updatedAt()).contains(Instant.ofEpochSecond(1732550004));
    assertThat(s.videoUrl()).isEmpty();
  }

  @Test
  void outputUrlIsFoundInResultUrlFirst() throws Exception {
    TaskSnapshot s = snapshot(read("modern-success-result-url.json"), "m0dern-ok-1");
    assertThat(s.videoUrl()).contains(URI.create("https://cdn.example.net/m0dern-ok-1/result.mp4"));
    assertThat(s.progressPercent()).contains(100);
    assertThat(s.updatedAt()).contains(Instant.ofEpochSecond(1732550150));
  }

  @Test
  void outputUrlIsFoundInVideoUrlOnly() throws Exception {
    TaskSnapshot s = snapshot(read("modern-success-video-url.json"), "m0dern-ok-2");
    assertThat(s.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(s.videoUrl()).contains(URI.create("https://cdn.example.net/m0dern-ok-2/video.mp4"));
  }

  @Test
  void outputUrlIsFoundInNestedOutputArrayOnly() throws Exception {
    TaskSnapshot s = snapshot(read("modern-success-output-only.json"), "m0dern-ok-3");
    assertThat(s.videoUrl()).contains(URI.create("https://cdn.example.net/m0dern-ok-3/output.mp4"));
  }

  @Test
  void nestedIsoCreatedAtIsReadWhenNoUnixTime() throws Exception {
    String body =
        """
        {"code": "success", "message": "", "data": {"task_id": "t1", "status": "QUEUED",
         "submit_time": 0, "data": {"id": "rw", "status": "PENDING",
         "createdAt": "2024-11-25T17:53:20.000+01:00"}}}
        """;
    assertThat(snapshot(body, "t1").createdAt()).contains(Instant.parse("2024-11-25T16:53:20Z"));
  }

  @Test
  void safetyFailureIsModerationAndNotRefunded() throws Exception {
    TaskFailure f =
        snapshot(read("modern-failure-safety.json"), "m0dern-bad-1").failure().orElseThrow();
    assertThat(f.moderation()).isTrue();
    assertThat(f.refunded()).isFalse();
    assertThat(f.reason()).startsWith("SAFETY.INPUT.TEXT").contains("moderation");
  }

  @Test
  void otherFailureIsRefundedProviderFailure() throws Exception {
    TaskFailure f =
        snapshot(read("modern-failure-other.json"), "m0dern-bad-2").failure().orElseThrow();
    assertThat(f.moderation()).isFalse();
    assertThat(f.refunded()).isTrue();
    assertThat(f.reason()).contains("INTERNAL.BAD_OUTPUT");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"refund\": false", "\"refund\": 0", "\"refunded\": false"})
  void anExplicitNoRefundIsKeptForAnOtherFailure(String refund) throws Exception {
    String body =
        """
        {"code": 200, "msg": "ok", "data": {"task_id": "t1", "status": "2", "state": "",
         "fail_reason": "internal error", %s}}
        """
            .formatted(refund);
    TaskFailure f = snapshot(body, "t1").failure().orElseThrow();
    assertThat(f.moderation()).isFalse();
    assertThat(f.refunded()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Input rejected: content policy",
        "blocked by moderation",
        "SAFETY.OUTPUT.VIDEO",
        "INPUT_PREPROCESSING.SAFETY.TEXT"
      })
  void contentAndModerationReasonsAreModeration(String reason) throws Exception {
    String body =
        """
        {"code": "success", "message": "", "data": {"task_id": "t1", "status": "FAILURE",
         "fail_reason": "%s"}}
        """
            .formatted(reason);
    TaskFailure f = snapshot(body, "t1").failure().orElseThrow();
    assertThat(f.moderation()).isTrue();
    assertThat(f.refunded()).isFalse();
  }

  @Test
  void explicitRefundOnModerationFailureIsKept() throws Exception {
    String body =
        """
        {"code": 200, "msg": "", "data": {"task_id": "t1", "status": "FAILURE",
         "fail_reason": "SAFETY.INPUT.IMAGE", "refund": true}}
        """;
    TaskFailure f = snapshot(body, "t1").failure().orElseThrow();
    assertThat(f.moderation()).isTrue();
    assertThat(f.refunded()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "PENDING, PENDING",
    "THROTTLED, PENDING",
    "RUNNING, RUNNING",
    "SUCCEEDED, SUCCEEDED",
    "FAILED, FAILED",
    "CANCELLED, CANCELLED"
  })
  void runwayNamesShowingThroughAtTopLevel(String raw, TaskStatus expected) throws Exception {
    String body =
        """
        {"code": "success", "message": "", "data": {"task_id": "t1", "status": "%s",
         "data": {"output": ["https://cdn.example.net/t1.mp4"]}}}
        """
            .formatted(raw);
    assertThat(snapshot(body, "t1").status()).isEqualTo(expected);
  }

  @Test
  void nestedRunwayStatusIsUsedWhenTopLevelHasNone() throws Exception {
    String body =
        """
        {"code": "success", "message": "", "data": {"task_id": "t1",
         "data": {"id": "rw", "status": "CANCELLED"}}}
        """;
    TaskSnapshot s = snapshot(body, "t1");
    assertThat(s.status()).isEqualTo(TaskStatus.CANCELLED);
    assertThat(s.rawStatus()).isEqualTo("CANCELLED");
    assertThat(s.failure().orElseThrow().reason()).isEqualTo("cancelled");
  }

  @Test
  void classicStateIsUsedWhenStatusMissing() throws Exception {
    String body =
        """
        {"code": 200, "msg": "", "data": {"task_id": "t1", "state": "succeeded",
         "video_url": "https://cdn.example.net/t1.mp4"}}
        """;
    assertThat(snapshot(body, "t1").status()).isEqualTo(TaskStatus.SUCCEEDED);
  }

  @Test
  void unknownStatusIsUnknownNotAnError() throws Exception {
    String body =
        """
        {"code": "success", "message": "", "data": {"task_id": "t1", "status": "WARMING_UP"}}
        """;
    TaskSnapshot s = snapshot(body, "t1");
    assertThat(s.status()).isEqualTo(TaskStatus.UNKNOWN);
    assertThat(s.rawStatus()).isEqualTo("WARMING_UP");
    assertThat(s.failure()).isEmpty();
  }

  @Test
  void submitAnswersGiveTheTaskId() throws Exception {
    assertThat(parser.taskId(parser.parseEnvelope(read("submit-restyle.json"))))
        .isEqualTo("rst-7f3c");
    assertThat(parser.taskId(parser.parseEnvelope(read("submit-act-one.json"))))
        .isEqualTo("act-91ab");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"code\": 200, \"data\": {}} | true",
        "{\"code\": \"200\", \"data\": {}} | true",
        "{\"code\": \"success\", \"data\": {}} | true",
        "{\"code\": \"SUCCESS\", \"data\": {}} | true",
        "{\"code\": 500, \"msg\": \"boom\", \"data\": null} | false",
        "{\"code\": \"fail\", \"message\": \"x\"} | false",
        "{\"code\": 200, \"error\": {\"message\": \"m\"}} | false",
        "{\"data\": {\"task_id\": \"x\"}} | true",
        "{\"error\": {\"message\": \"m\", \"type\": \"comet_api_error\", \"code\": \"c\"}} | false"
      })
  void gatewayCodeDecidesSuccess(String body, boolean ok) throws Exception {
    assertThat(parser.parseEnvelope(body).ok()).isEqualTo(ok);
  }

  @Test
  void gatewayErrorBodyIsParsed() throws Exception {
    Envelope e = parser.parseEnvelope(read("gateway-error.json"));
    assertThat(e.ok()).isFalse();
    GatewayError error = e.error().orElseThrow();
    assertThat(error.type()).isEqualTo("comet_api_error");
    assertThat(error.code()).isEqualTo("insufficient_user_quota");
    assertThat(error.message()).startsWith("insufficient balance");
    assertThat(parser.gatewayError("not json")).isEmpty();
    assertThat(parser.gatewayError("{\"code\": 200}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "   ",
        "<html>502 Bad Gateway</html>",
        "[1, 2]",
        "\"just a string\"",
        "{\"code\": 200, \"msg\": \"ok\", \"data\": {\"task_id\": \"t1\", \"status\": ",
        "{\"msg\": \"neither code nor data\"}"
      })
  void malformedBodiesAreClearErrors(String body) {
    assertThatThrownBy(() -> parser.parseEnvelope(body))
        .isInstanceOf(ProviderAnswerException.class)
        .hasMessageStartingWith("answer ");
  }

  @Test
  void parseErrorsDoNotQuoteTheBody() {
    String body = "{\"echo\": \"Bearer " + API_KEY + "\", oops}";
    assertThatThrownBy(() -> parser.parseEnvelope(body))
        .isInstanceOf(ProviderAnswerException.class)
        .hasMessageContaining("not valid JSON")
        .hasMessageNotContaining(API_KEY)
        .hasMessageNotContaining("echo");
  }

  @Test
  void submitAnswerWithoutTaskIdThrows() throws Exception {
    Envelope e = parser.parseEnvelope("{\"code\": 200, \"msg\": \"ok\", \"data\": {}}");
    assertThatThrownBy(() -> parser.taskId(e)).hasMessage("answer has no data.task_id");
    Envelope odd = parser.parseEnvelope("{\"code\": 200, \"data\": {\"task_id\": \"a b\"}}");
    assertThatThrownBy(() -> parser.taskId(odd)).hasMessage("answer has a malformed task id");
  }

  @Test
  void feedAnswersWithMissingPartsThrow() throws Exception {
    assertThatThrownBy(() -> snapshot("{\"code\": 200, \"msg\": \"\", \"data\": null}", "t1"))
        .hasMessage("feed answer has no data object");
    assertThatThrownBy(() -> snapshot("{\"code\": 200, \"data\": {\"task_id\": \"t1\"}}", "t1"))
        .hasMessage("feed answer has no task status");
    assertThatThrownBy(
            () ->
                snapshot(
                    "{\"code\": 200, \"data\": {\"task_id\": \"t2\", \"status\": \"1\"}}", "t1"))
        .hasMessage("feed answer is for another task than the one asked for");
    assertThatThrownBy(
            () ->
                snapshot(
                    "{\"code\": 200, \"data\": {\"status\": \"3\", \"video_url\": \"ftp://x/y\"}}",
                    "t1"))
        .hasMessage("task reported succeeded without a usable output URL");
  }

  @Test
  void missingTaskIdInFeedFallsBackToTheRequestedOne() throws Exception {
    TaskSnapshot s = snapshot("{\"code\": 200, \"data\": {\"status\": \"0\"}}", "t9");
    assertThat(s.taskId()).isEqualTo("t9");
    assertThat(s.createdAt()).isEqualTo(Optional.empty());
  }

  @Test
  void failureReasonsEchoingTheKeyAreRedacted() throws Exception {
    String body =
        """
        {"code": 200, "data": {"task_id": "t1", "status": "2",
         "msg": "upstream said: Authorization: Bearer %s invalid"}}
        """
            .formatted(API_KEY);
    TaskFailure f = snapshot(body, "t1").failure().orElseThrow();
    assertThat(f.reason()).doesNotContain(API_KEY).contains(Redactor.MASK);
  }
}
