package io.renderrelay.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.metrics.Metrics.UnknownTagPolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkerHttpServerIT {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final HealthRegistry health = new HealthRegistry();
  private final AtomicBoolean loopAlive = new AtomicBoolean(true);
  private final AtomicBoolean kafkaReady = new AtomicBoolean(false);
  private final List<String> handled = new CopyOnWriteArrayList<>();
  private final Metrics metrics =
      Metrics.create(List.of("render.poll.10s"), UnknownTagPolicy.REJECT);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerHttpServer server;
  private URI base;
  private URI mgmt;

  @BeforeEach
  void start() throws Exception {
    health.registerLiveness(
        HealthCheck.of("poll-loop", () -> new HealthStatus(loopAlive.get(), "heartbeat")));
    health.registerReadiness(HealthCheck.of("always", () -> HealthStatus.up("fine")));
    health.registerReadiness(
        HealthCheck.of("kafka", () -> new HealthStatus(kafkaReady.get(), "partitions assigned")));
    CallbackHandler handler =
        (jobId, token, body) -> {
          handled.add(jobId + "/" + token + "/" + new String(body));
          if (!jobId.equals("job-1")) {
            return CallbackResult.NOT_FOUND;
          }
          return token.equals("good-token") ? CallbackResult.ACCEPTED : CallbackResult.FORBIDDEN;
        };
    server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 2.0, HttpLimits.defaults()),
            health,
            metrics,
            handler,
            clock);
    InetSocketAddress address = server.start();
    base = URI.create("http://127.0.0.1:" + address.getPort());
    mgmt = URI.create("http://127.0.0.1:" + server.managementAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** GET on the management listener. */
  private HttpResponse<String> get(String path) throws Exception {
    return get(mgmt, path);
  }

  private HttpResponse<String> get(URI on, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(on.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, byte[] body) throws Exception {
    clock.advance(Duration.ofHours(1)); // refill the callback bucket unless a test says otherwise
    return postNow(path, body);
  }

  private HttpResponse<String> postNow(String path, byte[] body) throws Exception {
    return postNow(base, path, body);
  }

  private HttpResponse<String> postNow(URI on, String path, byte[] body) throws Exception {
    return client.send(
        HttpRequest.newBuilder(on.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofByteArray(body))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void liveFollowsTheLivenessChecks() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    loopAlive.set(false);
    HttpResponse<String> down = get("/health/live");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("\"poll-loop\"").contains("DOWN");
  }

  @Test
  void readyFlipsWhenEveryCheckIsUp() throws Exception {
    HttpResponse<String> notReady = get("/health/ready");
    assertThat(notReady.statusCode()).isEqualTo(503);
    JsonNode body = new ObjectMapper().readTree(notReady.body());
    assertThat(body.get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks")).hasSize(2);
    assertThat(body.get("checks").get(1).get("name").asText()).isEqualTo("kafka");
    assertThat(body.get("checks").get(1).get("status").asText()).isEqualTo("DOWN");
    assertThat(body.get("checks").get(1).get("detail").asText()).isEqualTo("partitions assigned");

    kafkaReady.set(true);
    HttpResponse<String> ready = get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(ready.body()).contains("\"status\":\"UP\"");

    health.registerReadiness(
        HealthCheck.of(
            "broken",
            () -> {
              throw new IllegalStateException("boom");
            }));
    HttpResponse<String> broken = get("/health/ready");
    assertThat(broken.statusCode()).isEqualTo(503);
    assertThat(broken.body()).contains("check failed: IllegalStateException");
  }

  @Test
  void aDependencyOutageShowsInTheDetailsButLeavesReadinessUp() throws Exception {
    kafkaReady.set(true);
    AtomicBoolean registryUp = new AtomicBoolean(false);
    health.registerDependency(
        HealthCheck.of(
            "schema-registry", () -> new HealthStatus(registryUp.get(), "ConnectException")));
    HttpResponse<String> r = get("/health/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("dependencies").get(0).get("name").asText()).isEqualTo("schema-registry");
    assertThat(body.get("dependencies").get(0).get("status").asText()).isEqualTo("DOWN");
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void probesAndMetricsAreOnlyOnTheManagementPortAndCallbacksOnlyOnThePublicOne() throws Exception {
    assertThat(base.getPort()).isNotEqualTo(mgmt.getPort());
    for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
      assertThat(get(base, path).statusCode()).as("public %s", path).isEqualTo(404);
    }
    clock.advance(Duration.ofHours(1));
    assertThat(postNow(mgmt, "/callbacks/job-1/good-token", new byte[2]).statusCode())
        .isEqualTo(404);
    assertThat(handled).isEmpty();
  }

  @Test
  void metricsServesPrometheusText() throws Exception {
    metrics.transactionCommitted();
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
    assertThat(r.body())
        .contains("# TYPE render_relay_jobs_total counter")
        .contains("render_relay_transactions_total{result=\"committed\"} 1.0");
  }

  @Test
  void callbackOutcomesMapToStatusCodes() throws Exception {
    byte[] body = "{\"task_id\":\"t-1\",\"status\":\"SUCCESS\"}".getBytes();
    assertThat(post("/callbacks/job-1/good-token", body).statusCode()).isEqualTo(202);
    assertThat(post("/callbacks/job-1/bad-token", body).statusCode()).isEqualTo(403);
    assertThat(post("/callbacks/job-404/good-token", body).statusCode()).isEqualTo(404);
    assertThat(post("/callbacks/only-one-segment", body).statusCode()).isEqualTo(404);
    assertThat(handled)
        .containsExactly(
            "job-1/good-token/{\"task_id\":\"t-1\",\"status\":\"SUCCESS\"}",
            "job-1/bad-token/{\"task_id\":\"t-1\",\"status\":\"SUCCESS\"}",
            "job-404/good-token/{\"task_id\":\"t-1\",\"status\":\"SUCCESS\"}");
    assertThat(metrics.scrape())
        .contains("render_relay_callbacks_total{result=\"accepted\"} 1.0")
        .contains("render_relay_callbacks_total{result=\"forbidden\"} 1.0")
        .contains("render_relay_callbacks_total{result=\"not_found\"} 2.0");
  }

  @Test
  void callbackRefusesOtherMethods() throws Exception {
    HttpResponse<String> r = get(base, "/callbacks/job-1/good-token");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("POST");
    assertThat(postNow(mgmt, "/health/ready", new byte[1]).statusCode()).isEqualTo(405);
    assertThat(handled).isEmpty();
  }

  @Test
  void callbackBodyAboveTheLimitIs413() throws Exception {
    assertThat(post("/callbacks/job-1/good-token", new byte[1024]).statusCode()).isEqualTo(202);
    assertThat(post("/callbacks/job-1/good-token", new byte[1025]).statusCode()).isEqualTo(413);
    assertThat(post("/callbacks/job-1/good-token", new byte[200_000]).statusCode()).isEqualTo(413);
    assertThat(handled).hasSize(1);
    assertThat(metrics.scrape()).contains("render_relay_callbacks_total{result=\"too_large\"} 2.0");
  }

  @Test
  void callbacksAboveTheRateAre429UntilTokensRefill() throws Exception {
    byte[] body = "{}".getBytes();
    clock.advance(Duration.ofHours(1));
    assertThat(postNow("/callbacks/job-1/good-token", body).statusCode()).isEqualTo(202);
    assertThat(postNow("/callbacks/job-1/good-token", body).statusCode()).isEqualTo(202);
    HttpResponse<String> limited = postNow("/callbacks/job-1/good-token", body);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).contains("1");
    clock.advance(Duration.ofMillis(500)); // 2 per second: one permit back
    assertThat(postNow("/callbacks/job-1/good-token", body).statusCode()).isEqualTo(202);
    assertThat(postNow("/callbacks/job-1/good-token", body).statusCode()).isEqualTo(429);
    assertThat(handled).hasSize(3);
  }

  @Test
  void unknownPathIs404() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(get(base, "/nope").statusCode()).isEqualTo(404);
  }
}
