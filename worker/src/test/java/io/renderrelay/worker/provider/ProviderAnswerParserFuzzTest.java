package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of {@link ProviderAnswerParser} with arbitrary (mostly JSON-ish) answer
 * bodies. Allowed outcomes: a parsed answer that keeps the parser's promises, or the documented
 * {@link ProviderAnswerException}. Anything else escaping (a runtime exception, a stack overflow,
 * an out-of-memory) is a finding, and so is a broken promise: a succeeded task without a video URL,
 * a failure without FAILED/CANCELLED status, an over-long or unredacted failure reason.
 *
 * <p>{@code mvn test} replays the seeds under {@code ProviderAnswerParserFuzzTestInputs/} (the
 * answer fixtures, one carrying the API key); the module's {@code fuzz} surefire execution fuzzes
 * for real for a few seconds ({@code JAZZER_FUZZ=1}), {@code scripts/chaos --fuzz} for longer.
 */
class ProviderAnswerParserFuzzTest {

  private static final int MAX_REASON = 500 + "...".length();
  private final ProviderAnswerParser parser = Fixtures.parser();

  @FuzzTest(maxDuration = "10s")
  void parsesOrRejectsCleanly(byte[] input) {
    String body = new String(input, StandardCharsets.UTF_8);
    parser.gatewayError(body); // documented never to throw
    Envelope envelope;
    try {
      envelope = parser.parseEnvelope(body);
    } catch (ProviderAnswerException rejected) {
      assertClean(rejected);
      return;
    }
    assertThat(envelope.code()).isNotNull();
    assertThat(envelope.message()).isNotNull();
    try {
      String taskId = parser.taskId(envelope);
      assertThat(taskId).isNotBlank().hasSizeLessThanOrEqualTo(200);
    } catch (ProviderAnswerException rejected) {
      assertClean(rejected);
    }
    try {
      checkSnapshot(parser.snapshot(envelope, null));
    } catch (ProviderAnswerException rejected) {
      assertClean(rejected);
    }
  }

  private static void checkSnapshot(TaskSnapshot s) {
    assertThat(s.taskId()).isNotBlank();
    assertThat(s.status()).isNotNull();
    if (s.status() == TaskStatus.SUCCEEDED) {
      assertThat(s.videoUrl()).isPresent();
    }
    boolean failed = s.status() == TaskStatus.FAILED || s.status() == TaskStatus.CANCELLED;
    assertThat(s.failure().isPresent()).isEqualTo(failed);
    s.failure()
        .ifPresent(
            f ->
                assertThat(f.reason())
                    .hasSizeLessThanOrEqualTo(MAX_REASON)
                    .doesNotContain(Fixtures.API_KEY));
    s.progressPercent().ifPresent(p -> assertThat(p).isBetween(0, 100));
  }

  private static void assertClean(ProviderAnswerException e) {
    assertThat(e.getMessage()).isNotBlank().doesNotContain(Fixtures.API_KEY);
  }
}
