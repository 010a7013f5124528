package io.renderrelay.worker.provider;

import static io.renderrelay.worker.provider.Fixtures.API_KEY;
import static io.renderrelay.worker.provider.ProviderEndpoint.ACT_ONE;
import static io.renderrelay.worker.provider.ProviderEndpoint.FEED;
import static io.renderrelay.worker.provider.ProviderEndpoint.RESTYLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.renderrelay.worker.provider.ProviderException.FatalReason;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ErrorClassifierTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final ProviderAnswerParser parser = Fixtures.parser();
  private final ErrorClassifier classifier =
      new ErrorClassifier(
          ErrorClassifier.DEFAULT_SAFE_SUBMIT_RETRY_STATUSES,
          parser,
          new Redactor(Fixtures.SECRET));

  /** A gateway error body that also echoes the key, as a careless gateway might. */
  private static String errorBody(String code, String message) {
    return """
    {"error": {"message": "%s (you sent Authorization: Bearer %s)",
     "type": "comet_api_error", "code": "%s"}}\
    """
        .formatted(message, API_KEY, code);
  }

  static Stream<Arguments> contractTable() {
    String plain = errorBody("bad_request", "invalid parameter video");
    String balance = errorBody("insufficient_user_quota", "insufficient balance");
    String notExist = errorBody("task_not_exist", "task not exist");
    String classicNotExist = "{\"code\": 400, \"msg\": \"task_not_exist\", \"data\": null}";
    return Stream.of(
        // 401: credentials wrong, for every call
        arguments(FEED, 401, errorBody("invalid_api_key", "invalid key"), OutcomeClass.FATAL),
        arguments(RESTYLE, 401, plain, OutcomeClass.FATAL),
        arguments(ACT_ONE, 401, "", OutcomeClass.FATAL),
        // 403: no credit is fatal, anything else is rejected
        arguments(RESTYLE, 403, balance, OutcomeClass.FATAL),
        arguments(FEED, 403, errorBody("forbidden", "quota exceeded"), OutcomeClass.FATAL),
        arguments(ACT_ONE, 403, "{\"msg\": \"not enough credits\"}", OutcomeClass.FATAL),
        arguments(
            RESTYLE, 403, errorBody("forbidden", "region not allowed"), OutcomeClass.REJECTED),
        arguments(RESTYLE, 402, "", OutcomeClass.FATAL),
        // 429: rate limited, safe to retry even for submits
        arguments(FEED, 429, errorBody("rate_limit", "slow down"), OutcomeClass.RETRYABLE),
        arguments(RESTYLE, 429, "", OutcomeClass.RETRYABLE),
        arguments(ACT_ONE, 429, "", OutcomeClass.RETRYABLE),
        // 400 task_not_exist right after submit
        arguments(FEED, 400, notExist, OutcomeClass.TASK_NOT_FOUND),
        arguments(FEED, 400, classicNotExist, OutcomeClass.TASK_NOT_FOUND),
        arguments(RESTYLE, 400, notExist, OutcomeClass.REJECTED),
        // other client errors: refused for good
        arguments(FEED, 400, plain, OutcomeClass.REJECTED),
        arguments(RESTYLE, 400, plain, OutcomeClass.REJECTED),
        arguments(ACT_ONE, 404, "", OutcomeClass.REJECTED),
        arguments(
            RESTYLE, 422, errorBody("invalid_aspect_ratio", "16:9 only"), OutcomeClass.REJECTED),
        arguments(FEED, 404, "<html>not found</html>", OutcomeClass.REJECTED),
        // 5xx: transient for polls; submits only 503 (not taken), else ambiguous
        arguments(FEED, 500, errorBody("internal", "oops"), OutcomeClass.RETRYABLE),
        arguments(FEED, 502, "<html>bad gateway</html>", OutcomeClass.RETRYABLE),
        arguments(FEED, 503, "", OutcomeClass.RETRYABLE),
        arguments(FEED, 504, "", OutcomeClass.RETRYABLE),
        arguments(RESTYLE, 500, errorBody("internal", "oops"), OutcomeClass.AMBIGUOUS),
        arguments(RESTYLE, 502, "", OutcomeClass.AMBIGUOUS),
        arguments(ACT_ONE, 504, "", OutcomeClass.AMBIGUOUS),
        arguments(RESTYLE, 503, "", OutcomeClass.RETRYABLE),
        arguments(ACT_ONE, 503, "", OutcomeClass.RETRYABLE),
        // request timeout status and redirects
        arguments(FEED, 408, "", OutcomeClass.RETRYABLE),
        arguments(RESTYLE, 408, "", OutcomeClass.AMBIGUOUS),
        arguments(FEED, 302, "", OutcomeClass.RETRYABLE),
        arguments(RESTYLE, 301, "", OutcomeClass.REJECTED));
  }

  @ParameterizedTest(name = "{0} HTTP {1} -> {3}")
  @MethodSource("contractTable")
  void httpStatusTable(ProviderEndpoint endpoint, int status, String body, OutcomeClass expected) {
    ProviderException e = classifier.classifyHttp(endpoint, status, Optional.empty(), body, NOW);
    assertThat(OutcomeClass.of(e)).isEqualTo(expected);
    assertThat(e.getMessage()).contains("HTTP " + status).doesNotContain(API_KEY);
    assertThat(e.getMessage()).doesNotContainIgnoringCase("bearer sk-");
  }

  @Test
  void fatalReasonsAreSorted() {
    var unauthorized = classifier.classifyHttp(RESTYLE, 401, Optional.empty(), "", NOW);
    var noCredit =
        classifier.classifyHttp(
            RESTYLE, 403, Optional.empty(), Fixtures.read("gateway-error.json"), NOW);
    assertThat(((ProviderException.Fatal) unauthorized).reason())
        .isEqualTo(FatalReason.UNAUTHORIZED);
    assertThat(((ProviderException.Fatal) noCredit).reason()).isEqualTo(FatalReason.NO_CREDIT);
    assertThat(noCredit.getMessage())
        .contains("comet_api_error", "insufficient_user_quota", "insufficient balance");
  }

  @Test
  void rateLimitCarriesRetryAfterAndFlag() {
    var e = classifier.classifyHttp(FEED, 429, Optional.of("7"), "", NOW);
    var r = (ProviderException.Retryable) e;
    assertThat(r.rateLimited()).isTrue();
    assertThat(r.retryAfter()).contains(Duration.ofSeconds(7));
    var unavailable =
        (ProviderException.Retryable) classifier.classifyHttp(FEED, 503, Optional.of("2"), "", NOW);
    assertThat(unavailable.rateLimited()).isFalse();
    assertThat(unavailable.retryAfter()).contains(Duration.ofSeconds(2));
  }

  @Test
  void safeSubmitStatusesAreConfigurable() {
    var wide = new ErrorClassifier(Set.of(429, 502, 503), parser, new Redactor(Fixtures.SECRET));
    var none = new ErrorClassifier(Set.of(), parser, new Redactor(Fixtures.SECRET));
    assertThat(OutcomeClass.of(wide.classifyHttp(RESTYLE, 502, Optional.empty(), "", NOW)))
        .isEqualTo(OutcomeClass.RETRYABLE);
    assertThat(OutcomeClass.of(none.classifyHttp(RESTYLE, 429, Optional.empty(), "", NOW)))
        .isEqualTo(OutcomeClass.AMBIGUOUS);
    assertThat(OutcomeClass.of(none.classifyHttp(FEED, 429, Optional.empty(), "", NOW)))
        .isEqualTo(OutcomeClass.RETRYABLE);
  }

  static Stream<Arguments> gatewayCodes() {
    return Stream.of(
        arguments(RESTYLE, "{\"code\": 401, \"msg\": \"invalid key\"}", OutcomeClass.FATAL),
        arguments(
            FEED,
            "{\"code\": \"insufficient_quota\", \"message\": \"top up\"}",
            OutcomeClass.FATAL),
        arguments(RESTYLE, "{\"code\": 500, \"msg\": \"internal error\"}", OutcomeClass.AMBIGUOUS),
        arguments(FEED, "{\"code\": 500, \"msg\": \"internal error\"}", OutcomeClass.RETRYABLE),
        arguments(RESTYLE, "{\"code\": \"503\", \"msg\": \"busy\"}", OutcomeClass.RETRYABLE),
        arguments(
            FEED, "{\"code\": \"task_not_exist\", \"message\": \"\"}", OutcomeClass.TASK_NOT_FOUND),
        arguments(
            FEED, "{\"code\": 400, \"msg\": \"task_not_exist\"}", OutcomeClass.TASK_NOT_FOUND),
        arguments(
            ACT_ONE, "{\"code\": 400, \"msg\": \"image must be 16:9\"}", OutcomeClass.REJECTED),
        arguments(
            RESTYLE, "{\"code\": \"error\", \"message\": \"something\"}", OutcomeClass.AMBIGUOUS),
        arguments(
            FEED, "{\"code\": \"error\", \"message\": \"something\"}", OutcomeClass.RETRYABLE),
        arguments(
            ACT_ONE,
            "{\"code\": \"rate_limit\", \"message\": \"too many\"}",
            OutcomeClass.RETRYABLE),
        arguments(RESTYLE, errorBody("unauthorized", "who are you"), OutcomeClass.FATAL));
  }

  @ParameterizedTest(name = "{0} HTTP 200 {1} -> {2}")
  @MethodSource("gatewayCodes")
  void gatewayCodeOtherThanSuccessIsAnErrorEvenWithHttp200(
      ProviderEndpoint endpoint, String body, OutcomeClass expected) throws Exception {
    Envelope envelope = parser.parseEnvelope(body);
    assertThat(envelope.ok()).isFalse();
    ProviderException e = classifier.classifyGatewayCode(endpoint, envelope);
    assertThat(OutcomeClass.of(e)).isEqualTo(expected);
    assertThat(e.getMessage()).contains("gateway code").doesNotContain(API_KEY);
  }

  static Stream<Arguments> transportErrors() {
    return Stream.of(
        arguments(RESTYLE, new ConnectException("Connection refused"), OutcomeClass.RETRYABLE),
        arguments(FEED, new ConnectException(), OutcomeClass.RETRYABLE),
        arguments(
            ACT_ONE,
            new HttpConnectTimeoutException("HTTP connect timed out"),
            OutcomeClass.RETRYABLE),
        arguments(
            RESTYLE,
            new IOException("wrapped", new UnresolvedAddressException()),
            OutcomeClass.RETRYABLE),
        arguments(RESTYLE, new HttpTimeoutException("request timed out"), OutcomeClass.AMBIGUOUS),
        arguments(FEED, new HttpTimeoutException("request timed out"), OutcomeClass.RETRYABLE),
        arguments(ACT_ONE, new IOException("Connection reset"), OutcomeClass.AMBIGUOUS),
        arguments(FEED, new IOException("Connection reset"), OutcomeClass.RETRYABLE),
        arguments(RESTYLE, new InterruptedException(), OutcomeClass.AMBIGUOUS),
        arguments(FEED, new InterruptedException(), OutcomeClass.RETRYABLE),
        arguments(RESTYLE, new IOException("header: Bearer " + API_KEY), OutcomeClass.AMBIGUOUS));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("transportErrors")
  void transportErrors(ProviderEndpoint endpoint, Throwable error, OutcomeClass expected) {
    ProviderException e = classifier.classifyTransport(endpoint, error);
    assertThat(OutcomeClass.of(e)).isEqualTo(expected);
    assertThat(e.getMessage()).doesNotContain(API_KEY).contains(error.getClass().getSimpleName());
    if (expected == OutcomeClass.RETRYABLE && endpoint.isSubmit()) {
      assertThat(e.getMessage()).contains("the request was not sent");
    }
    if (expected == OutcomeClass.AMBIGUOUS) {
      assertThat(e.getMessage()).contains("may or may not have been created");
    }
  }

  @Test
  void malformedAnswersAreAmbiguousForSubmitsAndRetryableForPolls() {
    var error = new ProviderAnswerException("answer has no data.task_id");
    assertThat(classifier.classifyMalformed(RESTYLE, error))
        .isInstanceOf(ProviderException.Ambiguous.class)
        .hasMessageContaining("answer has no data.task_id");
    assertThat(classifier.classifyMalformed(FEED, error))
        .isInstanceOf(ProviderException.Retryable.class);
  }

  @Test
  void retryAfterSecondsAndHttpDate() {
    String inTen =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(10).atZone(ZoneOffset.UTC));
    String past =
        DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.minusSeconds(10).atZone(ZoneOffset.UTC));
    assertThat(ErrorClassifier.parseRetryAfter("3", NOW)).contains(Duration.ofSeconds(3));
    assertThat(ErrorClassifier.parseRetryAfter(" 0 ", NOW)).contains(Duration.ZERO);
    assertThat(ErrorClassifier.parseRetryAfter("1.5", NOW)).contains(Duration.ofMillis(1500));
    assertThat(ErrorClassifier.parseRetryAfter(inTen, NOW)).contains(Duration.ofSeconds(10));
    assertThat(ErrorClassifier.parseRetryAfter(past, NOW)).contains(Duration.ZERO);
    assertThat(ErrorClassifier.parseRetryAfter("99999999", NOW)).contains(Duration.ofDays(1));
    assertThat(ErrorClassifier.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(ErrorClassifier.parseRetryAfter("-1", NOW)).isEmpty();
    assertThat(ErrorClassifier.parseRetryAfter("", NOW)).isEmpty();
  }
}
