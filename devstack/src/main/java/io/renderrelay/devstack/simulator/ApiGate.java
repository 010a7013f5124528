package io.renderrelay.devstack.simulator;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * What every provider API call goes through before its own work: the wrongKey mode and the bearer
 * check (401), rate limiting (429), gateway errors (5xx), and for submits the credit check (403).
 */
final class ApiGate {
  private final byte[] expectedAuth;
  private final Faults faults;
  private final Dice dice;
  private final RequestLog requests;

  ApiGate(String apiKey, Faults faults, Dice dice, RequestLog requests) {
    this.requests = requests;
    this.expectedAuth = ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
    this.faults = faults;
    this.dice = dice;
  }

  /** An answer that ends the call now, or empty to go on. */
  Optional<JsonRoute.Answer> check(HttpExchange exchange, boolean submit) {
    requests.record(
        exchange.getRequestMethod(),
        String.valueOf(exchange.getRequestURI()),
        exchange.getRequestHeaders());
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    boolean keyOk =
        auth != null
            && MessageDigest.isEqual(expectedAuth, auth.trim().getBytes(StandardCharsets.UTF_8));
    if (faults.wrongKey() || !keyOk) {
      return Optional.of(
          JsonRoute.Answer.of(401, FeedAnswers.error("invalid token", "invalid_api_key")));
    }
    Faults.Rate429 r429 = faults.rate429();
    if (r429 != null && dice.roll(r429.probability())) {
      JsonRoute.Answer a =
          JsonRoute.Answer.of(
              429, FeedAnswers.error("rate limit reached, slow down", "rate_limit_exceeded"));
      return Optional.of(
          r429.retryAfterSeconds() > 0
              ? a.withHeader("Retry-After", Integer.toString(r429.retryAfterSeconds()))
              : a);
    }
    Faults.Rate5xx r5xx = faults.rate5xx();
    if (r5xx != null && dice.roll(r5xx.probability())) {
      int status = dice.pick(r5xx.statuses());
      return Optional.of(
          JsonRoute.Answer.of(
              status, FeedAnswers.error("upstream error " + status, "upstream_error")));
    }
    if (submit && faults.noCredit()) {
      return Optional.of(
          JsonRoute.Answer.of(
              403, FeedAnswers.error("insufficient balance", "insufficient_user_quota")));
    }
    return Optional.empty();
  }

  /** Delays the answer when the slowAnswers fault fires (after the work is done). */
  void maybeSlow() throws InterruptedException {
    Faults.SlowAnswers slow = faults.slowAnswers();
    if (slow != null && dice.roll(slow.probability())) {
      Thread.sleep(slow.delayMillis());
    }
  }

  double execTime() {
    return Math.round(dice.uniform(0.05, 0.9) * 100) / 100.0;
  }
}
