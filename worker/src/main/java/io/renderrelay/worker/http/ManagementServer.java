package io.renderrelay.worker.http;

import static io.renderrelay.worker.http.HttpExchanges.JSON;
import static io.renderrelay.worker.http.HttpExchanges.safely;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.renderrelay.worker.job.JobQuery;
import io.renderrelay.worker.metrics.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The management listener: {@code GET /health/live}, {@code GET /health/ready} (with the
 * dependencies as details), {@code GET /metrics} and {@code GET /jobs/{jobId}}, on a port apart
 * from the public callbacks.
 */
final class ManagementServer {
  private static final String JOBS = "/jobs/";

  private final HealthRegistry health;
  private final Metrics metrics;
  private final JobQuery jobs;
  private final ObjectMapper json = new ObjectMapper();

  ManagementServer(HealthRegistry health, Metrics metrics, JobQuery jobs) {
    this.health = health;
    this.metrics = metrics;
    this.jobs = jobs;
  }

  /** Adds the management routes to {@code server}. */
  void route(HttpServer server) {
    server.createContext("/health/live", ex -> safely(ex, () -> report(ex, health.liveness())));
    server.createContext("/health/ready", ex -> safely(ex, () -> report(ex, health.readiness())));
    server.createContext("/metrics", ex -> safely(ex, () -> scrape(ex)));
    server.createContext(JOBS, ex -> safely(ex, () -> job(ex)));
    server.createContext(
        "/",
        ex ->
            safely(
                ex,
                () -> HttpExchanges.send(ex, 404, JSON, HttpExchanges.resultBody("not found"))));
  }

  private void report(HttpExchange ex, HealthRegistry.HealthReport report) throws IOException {
    if (!HttpExchanges.isRead(ex)) {
      return;
    }
    ObjectNode body = json.createObjectNode();
    body.put("status", report.up() ? "UP" : "DOWN");
    write(body.putArray("checks"), report.checks());
    if (!report.dependencies().isEmpty()) {
      write(body.putArray("dependencies"), report.dependencies());
    }
    HttpExchanges.send(ex, report.up() ? 200 : 503, JSON, json.writeValueAsBytes(body));
  }

  private static void write(ArrayNode array, List<HealthRegistry.CheckResult> results) {
    for (HealthRegistry.CheckResult r : results) {
      array
          .addObject()
          .put("name", r.name())
          .put("status", r.status().up() ? "UP" : "DOWN")
          .put("detail", r.status().detail());
    }
  }

  /** {@code GET /jobs/{jobId}}: the job id is the rest of the path, percent-decoded. */
  private void job(HttpExchange ex) throws IOException {
    if (!HttpExchanges.isRead(ex)) {
      return;
    }
    String path = ex.getRequestURI().getPath();
    String jobId = path.length() > JOBS.length() ? path.substring(JOBS.length()) : "";
    if (jobId.isBlank()) {
      HttpExchanges.send(ex, 404, JSON, HttpExchanges.resultBody("give a job id: /jobs/{jobId}"));
      return;
    }
    boolean forwarded = ex.getRequestHeaders().containsKey(JobQuery.FORWARDED_HEADER);
    JobQuery.Answer answer = jobs.find(jobId, forwarded);
    HttpExchanges.send(ex, answer.status(), JSON, answer.body());
  }

  private void scrape(HttpExchange ex) throws IOException {
    if (HttpExchanges.isRead(ex)) {
      HttpExchanges.send(
          ex, 200, Metrics.CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
  }
}
