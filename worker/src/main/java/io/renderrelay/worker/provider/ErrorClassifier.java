package io.renderrelay.worker.provider;

import io.renderrelay.worker.provider.ProviderException.Ambiguous;
import io.renderrelay.worker.provider.ProviderException.Fatal;
import io.renderrelay.worker.provider.ProviderException.FatalReason;
import io.renderrelay.worker.provider.ProviderException.Rejected;
import io.renderrelay.worker.provider.ProviderException.Retryable;
import io.renderrelay.worker.provider.ProviderException.TaskNotFound;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;

/**
 * Sorts every provider error, in one place, into exactly one {@link ProviderException}.
 *
 * <p>Polls are free: anything transient is {@link Retryable}. Submits are paid and carry no
 * idempotency key, so a submit is {@link Retryable} only when the provider surely did not take it
 * (the connection was never made, or a status in the configured safe set, by default 429 and 503);
 * a lost answer, a 500/502/504 or an unusable 200 is {@link Ambiguous}. Every message is redacted
 * and quotes at most a short excerpt of the answer.
 */
final class ErrorClassifier {

  /** Submit statuses after which the provider surely did not create a task. */
  public static final Set<Integer> DEFAULT_SAFE_SUBMIT_RETRY_STATUSES = Set.of(429, 503);

  private static final int SNIPPET_CHARS = 300;
  private static final Duration MAX_RETRY_AFTER = Duration.ofDays(1);
  private static final String MAYBE_CREATED =
      "; the task may or may not have been created, so it is not retried";

  private final Set<Integer> safeSubmitRetryStatuses;
  private final ProviderAnswerParser parser;
  private final Redactor redactor;

  public ErrorClassifier(
      Set<Integer> safeSubmitRetryStatuses, ProviderAnswerParser parser, Redactor redactor) {
    this.safeSubmitRetryStatuses = Set.copyOf(safeSubmitRetryStatuses);
    this.parser = Objects.requireNonNull(parser, "parser");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** An HTTP answer outside 2xx; {@code retryAfter} is the raw Retry-After header. */
  public ProviderException classifyHttp(
      ProviderEndpoint endpoint,
      int status,
      Optional<String> retryAfter,
      String body,
      Instant now) {
    Optional<GatewayError> error = parser.gatewayError(body);
    String detail =
        error
            .map(
                e ->
                    redactor.snippet(e.type() + " " + e.code() + ": " + e.message(), SNIPPET_CHARS))
            .orElseGet(() -> redactor.snippet(body, SNIPPET_CHARS));
    String match =
        error.map(e -> e.code() + " " + e.message() + " " + e.type()).orElse("") + " " + body;
    Optional<Duration> wait = retryAfter.flatMap(h -> parseRetryAfter(h, now));
    String what = describe(endpoint, "HTTP " + status) + ": " + detail;
    return byStatus(endpoint, status, wait, match.toLowerCase(Locale.ROOT), what);
  }

  /** An HTTP 2xx answer whose gateway {@code code} (or {@code error} object) says failure. */
  public ProviderException classifyGatewayCode(ProviderEndpoint endpoint, Envelope envelope) {
    String errorText =
        envelope.error().map(e -> e.type() + " " + e.code() + ": " + e.message()).orElse("");
    String match = (envelope.code() + " " + envelope.message() + " " + errorText);
    String what =
        describe(endpoint, "gateway code '" + redactor.snippet(envelope.code(), 40) + "'")
            + " in an HTTP 2xx answer: "
            + redactor.snippet((envelope.message() + " " + errorText).strip(), SNIPPET_CHARS);
    String lower = match.toLowerCase(Locale.ROOT);
    Optional<Integer> numeric = httpLikeCode(envelope.code());
    if (numeric.isPresent()) {
      return byStatus(endpoint, numeric.get(), Optional.empty(), lower, what);
    }
    if (mentionsNoCredit(lower)) {
      return new Fatal(FatalReason.NO_CREDIT, what);
    }
    if (mentionsBadKey(lower)) {
      return new Fatal(FatalReason.UNAUTHORIZED, what);
    }
    if (!endpoint.isSubmit() && mentionsTaskNotExist(lower)) {
      return new TaskNotFound(what);
    }
    if (lower.contains("rate limit")
        || lower.contains("rate_limit")
        || lower.contains("too many")) {
      return byStatus(endpoint, 429, Optional.empty(), lower, what);
    }
    return endpoint.isSubmit()
        ? new Ambiguous(what + MAYBE_CREATED, null)
        : new Retryable(what, Optional.empty(), null);
  }

  /** A failure to exchange at all: connect error, timeout, reset, interrupted wait. */
  public ProviderException classifyTransport(ProviderEndpoint endpoint, Throwable error) {
    String cause =
        error.getClass().getSimpleName()
            + (error.getMessage() == null ? "" : ": " + redactor.snippet(error.getMessage(), 200));
    if (error instanceof InterruptedException) {
      String what = "interrupted while waiting for the answer (" + cause + ")";
      return endpoint.isSubmit()
          ? new Ambiguous(describe(endpoint, what) + MAYBE_CREATED, error)
          : new Retryable(describe(endpoint, what), Optional.empty(), error);
    }
    if (notSent(error)) {
      return new Retryable(
          describe(endpoint, "could not connect (" + cause + "); the request was not sent"),
          Optional.empty(),
          error);
    }
    if (!endpoint.isSubmit()) {
      return new Retryable(
          describe(endpoint, "no usable answer (" + cause + ")"), Optional.empty(), error);
    }
    String what =
        error instanceof HttpTimeoutException
            ? "no answer in time after the request was sent (" + cause + ")"
            : "connection failed after the request was sent (" + cause + ")";
    return new Ambiguous(describe(endpoint, what) + MAYBE_CREATED, error);
  }

  /** An HTTP 2xx answer the parser could not use. */
  public ProviderException classifyMalformed(
      ProviderEndpoint endpoint, ProviderAnswerException error) {
    String what = describe(endpoint, "unusable answer: " + redactor.redact(error.getMessage()));
    return endpoint.isSubmit()
        ? new Ambiguous(what + MAYBE_CREATED, null)
        : new Retryable(what, Optional.empty(), null);
  }

  /** Retry-After as delay-seconds or an HTTP-date; past dates give zero, junk gives empty. */
  public static Optional<Duration> parseRetryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.strip();
    Duration wait;
    try {
      BigDecimal seconds = new BigDecimal(value);
      if (seconds.signum() < 0) {
        return Optional.empty();
      }
      wait =
          Duration.ofMillis(seconds.min(BigDecimal.valueOf(86_400)).movePointRight(3).longValue());
    } catch (NumberFormatException notSeconds) {
      try {
        Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        wait = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
      } catch (DateTimeParseException notDate) {
        return Optional.empty();
      }
    }
    return Optional.of(wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait);
  }

  private ProviderException byStatus(
      ProviderEndpoint endpoint, int status, Optional<Duration> wait, String match, String what) {
    boolean submit = endpoint.isSubmit();
    if (status == 401) {
      return new Fatal(FatalReason.UNAUTHORIZED, what);
    }
    if (status == 402 || (status == 403 && mentionsNoCredit(match))) {
      return new Fatal(FatalReason.NO_CREDIT, what);
    }
    if ((status == 400 || status == 404) && !submit && mentionsTaskNotExist(match)) {
      return new TaskNotFound(what);
    }
    if (status >= 300 && status < 400) {
      String redirect = what + " (redirects are never followed: check the provider base URL)";
      return submit ? new Rejected(redirect) : new Retryable(redirect, Optional.empty(), null);
    }
    if (status >= 400 && status < 500 && status != 408 && status != 429) {
      return new Rejected(what);
    }
    // 408, 429, 5xx and anything odd: transient for polls, for submits only when surely not taken
    boolean rateLimited = status == 429;
    if (!submit) {
      return new Retryable(what, wait, rateLimited, null);
    }
    if (safeSubmitRetryStatuses.contains(status)) {
      return new Retryable(what + " (the provider did not take the task)", wait, rateLimited, null);
    }
    return new Ambiguous(what + MAYBE_CREATED, null);
  }

  private static boolean notSent(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof HttpConnectTimeoutException
          || t instanceof ConnectException
          || t instanceof UnresolvedAddressException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SSLHandshakeException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  private static Optional<Integer> httpLikeCode(String code) {
    String value = code.strip();
    if (!value.matches("[1-5][0-9][0-9]")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(value));
  }

  static boolean mentionsNoCredit(String lower) {
    return lower.contains("balance")
        || lower.contains("quota")
        || lower.contains("credit")
        || lower.contains("payment required");
  }

  private static boolean mentionsBadKey(String lower) {
    return lower.contains("unauthorized")
        || lower.contains("unauthenticated")
        || lower.contains("invalid api key")
        || lower.contains("invalid_api_key")
        || lower.contains("invalid key")
        || lower.contains("invalid token");
  }

  private static boolean mentionsTaskNotExist(String lower) {
    return lower.contains("task_not_exist") || lower.contains("task not exist");
  }

  private static String describe(ProviderEndpoint endpoint, String what) {
    return (endpoint.isSubmit() ? "provider submit " + endpoint.label() : "provider feed")
        + ": "
        + what;
  }
}
