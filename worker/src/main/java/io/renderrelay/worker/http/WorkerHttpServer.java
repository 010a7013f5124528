package io.renderrelay.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's HTTP server (JDK HttpServer on virtual threads): {@code GET /health/live}, {@code
 * GET /health/ready}, {@code GET /metrics} and {@code POST /callbacks/{jobId}/{token}}.
 */
public final class WorkerHttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerHttpServer.class);
  private static final Pattern CALLBACK_PATH =
      Pattern.compile("/callbacks/([A-Za-z0-9._~-]{1,200})/([A-Za-z0-9._~-]{1,200})/?");
  private static final String JSON = "application/json";

  private final HttpSettings settings;
  private final HealthRegistry health;
  private final Metrics metrics;
  private final CallbackHandler callbacks;
  private final TokenBucket callbackLimiter;
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer server;
  private ExecutorService executor;

  public WorkerHttpServer(
      HttpSettings settings,
      HealthRegistry health,
      Metrics metrics,
      CallbackHandler callbacks,
      Clock clock) {
    this.settings = settings;
    this.health = health;
    this.metrics = metrics;
    this.callbacks = callbacks;
    double rate = settings.callbacksPerSecond();
    this.callbackLimiter = new TokenBucket(rate, Math.max(1, Math.ceil(rate)), clock);
  }

  /** Binds and starts; returns the bound address (port 0 picks a free one). */
  public synchronized InetSocketAddress start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    HttpServer s =
        HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 128);
    s.createContext("/health/live", ex -> safely(ex, () -> health(ex, health.liveness())));
    s.createContext("/health/ready", ex -> safely(ex, () -> health(ex, health.readiness())));
    s.createContext("/metrics", ex -> safely(ex, () -> metricsEndpoint(ex)));
    s.createContext("/callbacks/", ex -> safely(ex, () -> callback(ex)));
    s.createContext("/", ex -> safely(ex, () -> send(ex, 404, JSON, resultBody("not found"))));
    executor = Executors.newVirtualThreadPerTaskExecutor();
    s.setExecutor(executor);
    s.start();
    server = s;
    log.info("HTTP server listening on {}", s.getAddress());
    return s.getAddress();
  }

  /** The bound address; only after {@link #start()}. */
  public synchronized InetSocketAddress address() {
    if (server == null) {
      throw new IllegalStateException("not started");
    }
    return server.getAddress();
  }

  /** Stops accepting, gives running exchanges up to {@code grace}, then stops. */
  public synchronized void stop(Duration grace) {
    if (server == null) {
      return;
    }
    server.stop((int) Math.min(Integer.MAX_VALUE, Math.max(0, grace.toSeconds())));
    executor.shutdownNow();
    server = null;
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private interface Exchange {
    void run() throws IOException;
  }

  private void safely(HttpExchange ex, Exchange body) {
    try (ex) {
      body.run();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "HTTP {} {} failed: {}",
          ex.getRequestMethod(),
          ex.getHttpContext().getPath(),
          e.getClass().getSimpleName());
      try {
        send(ex, 500, JSON, resultBody("internal error"));
      } catch (IOException | RuntimeException ignored) {
        // response already started or connection gone
      }
    }
  }

  private void health(HttpExchange ex, HealthRegistry.HealthReport report) throws IOException {
    if (!isRead(ex)) {
      return;
    }
    ObjectNode body = json.createObjectNode();
    body.put("status", report.up() ? "UP" : "DOWN");
    ArrayNode checks = body.putArray("checks");
    for (HealthRegistry.CheckResult r : report.checks()) {
      checks
          .addObject()
          .put("name", r.name())
          .put("status", r.status().up() ? "UP" : "DOWN")
          .put("detail", r.status().detail());
    }
    send(ex, report.up() ? 200 : 503, JSON, json.writeValueAsBytes(body));
  }

  private void metricsEndpoint(HttpExchange ex) throws IOException {
    if (isRead(ex)) {
      send(ex, 200, Metrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
  }

  private boolean isRead(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    send(ex, 405, JSON, resultBody("method not allowed"));
    return false;
  }

  private void callback(HttpExchange ex) throws IOException {
    Matcher m = CALLBACK_PATH.matcher(ex.getRequestURI().getRawPath());
    if (!m.matches()) {
      reject(ex, 404, "not_found", "not found");
      return;
    }
    if (!ex.getRequestMethod().equals("POST")) {
      ex.getResponseHeaders().set("Allow", "POST");
      reject(ex, 405, "method_not_allowed", "method not allowed");
      return;
    }
    if (!callbackLimiter.tryAcquire()) {
      ex.getResponseHeaders().set("Retry-After", "1");
      reject(ex, 429, "rate_limited", "too many callbacks");
      return;
    }
    byte[] body = readLimited(ex, settings.maxCallbackBytes());
    if (body == null) {
      ex.getResponseHeaders().set("Connection", "close");
      reject(ex, 413, "too_large", "callback body above " + settings.maxCallbackBytes() + " bytes");
      return;
    }
    String jobId = m.group(1);
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

  private byte[] resultBody(String message) throws IOException {
    return json.writeValueAsBytes(json.createObjectNode().put("result", message));
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
