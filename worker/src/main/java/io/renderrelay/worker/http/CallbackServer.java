package io.renderrelay.worker.http;

import static io.renderrelay.worker.http.HttpExchanges.JSON;
import static io.renderrelay.worker.http.HttpExchanges.resultBody;
import static io.renderrelay.worker.http.HttpExchanges.safely;
import static io.renderrelay.worker.http.HttpExchanges.send;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.renderrelay.worker.job.callback.CallbackHandler;
import io.renderrelay.worker.job.callback.CallbackResult;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.ratelimit.TokenBucket;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public listener: {@code POST /callbacks/{jobId}/{token}} and nothing else. Rate-limited, body
 * capped; a request for any other path is a 404, counted and logged (at most one line per 10 s, the
 * path by its shape only), since a stream of them usually means provider.callback-base-url is
 * wrong.
 */
final class CallbackServer {
  private static final Logger log = LoggerFactory.getLogger(CallbackServer.class);

  /**
   * The jobId segment as CallbackTokens writes it (percent-encoded, e.g. {@code order%3A4711}) or
   * as a proxy may pass it on decoded ({@code order:4711}); the token is base64url.
   */
  private static final Pattern CALLBACK_PATH =
      Pattern.compile("/callbacks/([A-Za-z0-9._~:%-]{1,400})/([A-Za-z0-9_-]{1,200})/?");

  private static final int SHOWN_SEGMENTS = 6;

  private final int maxBytes;
  private final Metrics metrics;
  private final CallbackHandler callbacks;
  private final TokenBucket limiter;
  private final TokenBucket notFoundLog;
  private final AtomicLong notFoundUnlogged = new AtomicLong();

  CallbackServer(
      int maxBytes, double perSecond, Metrics metrics, CallbackHandler callbacks, Clock clock) {
    this.maxBytes = maxBytes;
    this.metrics = metrics;
    this.callbacks = callbacks;
    this.limiter = TokenBucket.full(perSecond, Math.max(1, Math.ceil(perSecond)), clock);
    this.notFoundLog = TokenBucket.full(0.1, 1, clock);
  }

  /** Adds the callback routes to {@code server}. */
  void route(HttpServer server) {
    server.createContext("/", ex -> safely(ex, () -> callback(ex)));
  }

  private void callback(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    Matcher m = CALLBACK_PATH.matcher(path);
    String jobId = m.matches() ? decoded(m.group(1)) : null;
    if (jobId == null) {
      notFound(ex.getRequestMethod(), path);
      reject(ex, 404, "not_found", "not found");
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      ex.getResponseHeaders().set("Allow", "POST");
      reject(ex, 405, "method_not_allowed", "method not allowed");
      return;
    }
    if (!limiter.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      reject(ex, 429, "rate_limited", "too many callbacks");
      return;
    }
    byte[] body = readLimited(ex, maxBytes);
    if (body == null) {
      ex.getResponseHeaders().set("Connection", "close");
      reject(ex, 413, "too_large", "callback body above " + maxBytes + " bytes");
      return;
    }
    CallbackResult result;
    try {
      result = callbacks.handle(jobId, m.group(2), body);
    } catch (RuntimeException e) {
      log.warn("callback handler failed for job {}: {}", jobId, e.getClass().getSimpleName());
      reject(ex, 500, "error", "internal error");
      return;
    }
    metrics.callback(result.metricValue());
    send(ex, result.status(), JSON, resultBody(result.metricValue()));
  }

  /**
   * One line per 10 s at most. The path is shown by its shape only ({@link #shape}): a proxy that
   * rewrote the callback URL can put the token in any segment, and no part of it may be logged.
   */
  private void notFound(String method, String path) {
    if (!notFoundLog.tryAcquire()) {
      notFoundUnlogged.incrementAndGet();
      return;
    }
    log.warn(
        "callback listener: 404 for {} {} ({} more since the last line); callbacks must be"
            + " POST /callbacks/{jobId}/{token}: check that provider.callback-base-url is the"
            + " public URL of the /callbacks path",
        method,
        shape(path),
        notFoundUnlogged.getAndSet(0));
  }

  /**
   * The path with every segment but {@code callbacks} written {@code *}, e.g. {@code
   * /callbacks/callbacks/*}{@code /*} for a doubled base URL, {@code /*}{@code /*} for one whose
   * {@code /callbacks} a proxy stripped; cut after a few segments.
   */
  static String shape(String path) {
    String[] segments = path.split("/", -1);
    StringBuilder shown = new StringBuilder();
    for (int i = 1; i < segments.length; i++) {
      if (i > SHOWN_SEGMENTS) {
        return shown.append("/...").toString();
      }
      String s = segments[i];
      shown.append('/').append(s.isEmpty() || s.equals("callbacks") ? s : "*");
    }
    return shown.isEmpty() ? path : shown.toString();
  }

  /** The percent-decoded jobId segment, or null when its escapes are malformed. */
  private static String decoded(String segment) {
    try {
      return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void reject(HttpExchange ex, int status, String metricValue, String message)
      throws IOException {
    metrics.callback(metricValue);
    send(ex, status, JSON, resultBody(message));
  }

  /** The body, or null when it is longer than {@code max}. */
  private static byte[] readLimited(HttpExchange ex, int max) throws IOException {
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > max) {
          return null;
        }
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] bytes = in.readNBytes(max + 1);
      return bytes.length > max ? null : bytes;
    }
  }
}
