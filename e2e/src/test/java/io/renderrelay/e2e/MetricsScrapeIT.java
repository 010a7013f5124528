package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.metrics.LibraryMetrics;
import io.renderrelay.worker.metrics.MetricType;
import io.renderrelay.worker.metrics.MetricsCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scrapes GET /metrics of a worker during a demo-like run (completed, moderated, invalid and
 * undecodable jobs) and at its end: every metric of the catalogue is exposed and the ones the run
 * exercises have moved. Health endpoints answer 200 with every check up.
 */
@Timeout(180)
class MetricsScrapeIT {

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(2));

  static RenderRelayWorker worker;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    // A low submit rate so that a burst of commands waits for the submit limiter.
    worker = e2e.worker(e2e.settings("metrics-it").with("provider.submits-per-second", "2"));
  }

  @Test
  void aDemoLikeRunMovesEveryMetricItExercises() throws Exception {
    SimulatorControl sim = e2e.sim();
    List<String> all = new ArrayList<>();

    String moderated = "metrics-moderated-" + UUID.randomUUID();
    sim.faults().moderationFailures(new Faults.Moderation(1.0, null));
    try {
      e2e.commands().send(Commands.restyle(moderated, Instant.now()));
      awaitPaid(sim, moderated);
    } finally {
      sim.faults().moderationFailures(null);
    }
    all.add(moderated);

    List<String> good = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String id = "metrics-ok-" + i + "-" + UUID.randomUUID();
      e2e.commands()
          .send(
              i % 3 == 2
                  ? Commands.actOne(id, Instant.now())
                  : Commands.restyle(id, Instant.now()));
      good.add(id);
    }
    String invalid = "metrics-invalid-" + UUID.randomUUID();
    RestyleCommand blankPrompt = Commands.restyle(invalid, Instant.now());
    blankPrompt.setPrompt(" ");
    e2e.commands().send(blankPrompt);
    String undecodable = "metrics-undecodable-" + UUID.randomUUID();
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.RESTYLE_TOPIC),
            undecodable,
            "not avro at all".getBytes(StandardCharsets.UTF_8));
    all.addAll(good);
    all.add(invalid);
    all.add(undecodable);

    double maxInFlight = 0;
    double maxTierLag = 0;
    int scrapes = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (e2e.events().terminalCount(all) < all.size() && System.nanoTime() < deadline) {
      PrometheusText during = PrometheusText.parse(get("/metrics").body());
      scrapes++;
      maxInFlight = Math.max(maxInFlight, during.sum("render_relay_jobs_in_flight"));
      maxTierLag =
          Math.max(
              maxTierLag, during.sum("render_relay_consumer_lag_records", "input", "poll_tiers"));
      Thread.sleep(200);
    }
    assertThat(e2e.events().terminalCount(all))
        .as("jobs with a terminal event")
        .isEqualTo(all.size());
    for (String id : good) {
      assertThat(e2e.events().eventsOf(id)).singleElement().matches(EventCollector::completed);
    }
    assertThat(e2e.events().eventsOf(moderated)).singleElement().isInstanceOf(RenderFailed.class);
    assertThat(((RenderFailed) e2e.events().eventsOf(moderated).get(0)).getReason().name())
        .isEqualTo("MODERATION");
    assertThat(scrapes).isGreaterThan(3);
    assertThat(maxInFlight).as("jobs_in_flight seen during the run").isPositive();
    assertThat(maxTierLag).as("poll tier lag seen during the run").isPositive();

    HttpResponse<String> end = get("/metrics");
    assertThat(end.statusCode()).isEqualTo(200);
    assertThat(end.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    PrometheusText m = PrometheusText.parse(end.body());
    for (MetricsCatalogue c : MetricsCatalogue.values()) {
      if (c.needsSpend()) {
        continue; // exist only with spend.enabled (docs/metrics.md); BudgetIT scrapes them
      }
      String family =
          c.type() == MetricType.TIMER ? c.prometheusName() + "_count" : c.prometheusName();
      assertThat(m.hasFamily(family)).as("%s in the scrape", family).isTrue();
    }
    assertThat(m.samples().keySet())
        .as("no tag value fell outside the catalogue")
        .noneMatch(k -> k.contains("=\"other\""));
    assertThat(m.sum("render_relay_jobs_total", "outcome", "ok")).isGreaterThan(0);
    assertThat(m.sum("render_relay_jobs_total", "stage", "copy", "outcome", "ok"))
        .isGreaterThanOrEqualTo(good.size());
    assertThat(m.sum("render_relay_jobs_total", "outcome", "failed")).isGreaterThanOrEqualTo(3);
    assertThat(m.sum("render_relay_dead_letters_total", "reason", "invalid_command")).isEqualTo(1);
    assertThat(m.sum("render_relay_dead_letters_total", "reason", "undecodable")).isEqualTo(1);
    assertThat(m.sum("render_relay_dead_letters_total", "reason", "other")).isZero();
    assertThat(m.sum("render_relay_provider_request_seconds_count", "endpoint", "submit_restyle"))
        .isGreaterThan(0);
    assertThat(m.sum("render_relay_provider_request_seconds_count", "endpoint", "submit_act_one"))
        .isGreaterThan(0);
    assertThat(
            m.sum("render_relay_provider_request_seconds_count", "endpoint", "feed", "class", "ok"))
        .isGreaterThan(0);
    assertThat(m.sum("render_relay_copy_bytes_total", "artifact", "video")).isGreaterThan(0);
    assertThat(m.sum("render_relay_copy_bytes_total", "artifact", "poster")).isGreaterThan(0);
    assertThat(m.sum("render_relay_copy_throughput_bytes_per_second_count", "artifact", "video"))
        .isGreaterThanOrEqualTo(good.size());
    assertThat(m.sum("render_relay_transactions_total", "result", "committed")).isGreaterThan(0);
    assertThat(m.sum("render_relay_poll_lateness_seconds_count")).isGreaterThan(0);
    assertThat(m.sum("render_relay_rate_limiter_wait_seconds_count", "limiter", "submit"))
        .as("submits waited for the 2/s limiter")
        .isGreaterThan(0);
    assertThat(m.sum("render_relay_submission_gate_state", "state", "open")).isEqualTo(1);
    assertThat(m.sum("render_relay_callbacks_total", "result", "accepted")).isGreaterThan(0);
    assertThat(m.sum("render_relay_consumer_lag_records", "input", "restyle_commands")).isZero();
    assertThat(m.sum("render_relay_ambiguous_jobs_total")).isZero();
    assertThat(m.sum("render_relay_provider_unknown_status_total")).isZero();
    assertLatencyHistogramsAndLibraryMetrics(m, good.size());

    for (String path : List.of("/health/live", "/health/ready")) {
      HttpResponse<String> h = get(path);
      assertThat(h.statusCode()).as(path + ": " + h.body()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(h.body());
      assertThat(body.get("status").asText()).isEqualTo("UP");
      assertThat(body.get("checks")).isNotEmpty();
      body.get("checks")
          .forEach(c -> assertThat(c.get("status").asText()).as(path + " " + c).isEqualTo("UP"));
    }
  }

  /** Issue 17: latency histograms with SLO buckets; JVM, Kafka client and RocksDB metrics. */
  private static void assertLatencyHistogramsAndLibraryMetrics(PrometheusText m, int completed) {
    for (MetricsCatalogue c :
        List.of(
            MetricsCatalogue.PROVIDER_REQUESTS,
            MetricsCatalogue.POLL_LATENESS,
            MetricsCatalogue.JOB_DURATION,
            MetricsCatalogue.END_TO_END,
            MetricsCatalogue.PROVIDER_RENDER,
            MetricsCatalogue.COPY_DURATION,
            MetricsCatalogue.COPY_THROUGHPUT)) {
      String bucket = c.prometheusName() + "_bucket";
      assertThat(m.sum(bucket, "le", "+Inf")).as("%s observations", bucket).isPositive();
      assertThat(m.samples().keySet().stream().filter(k -> k.startsWith(bucket + "{")).count())
          .as("%s has SLO buckets", bucket)
          .isGreaterThan(1);
    }
    assertThat(m.sum("render_relay_job_duration_seconds_count", "terminal", "completed"))
        .isGreaterThanOrEqualTo(completed);
    assertThat(m.sum("render_relay_end_to_end_seconds_count", "terminal", "failed"))
        .as("the moderated job")
        .isPositive();
    for (LibraryMetrics family : LibraryMetrics.values()) {
      assertThat(m.hasPrefix(family.prefix())).as("%s* in the scrape", family.prefix()).isTrue();
    }
    assertThat(m.sum("render_relay_http_client_pool_connections", "pool", "s3", "state", "max"))
        .as("the S3 client's pool size, reported with its requests")
        .isPositive();
    assertThat(m.sum("render_relay_rocksdb_ticker_total", "ticker", "number_keys_written"))
        .isPositive();
    assertThat(m.sum("render_relay_rocksdb_property", "property", "estimate_num_keys"))
        .isNotNegative();
  }

  private static void awaitPaid(SimulatorControl sim, String jobId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!sim.paidSubmissions().containsKey(jobId) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(sim.paidSubmissions()).as("the moderated job was submitted").containsKey(jobId);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    var a = worker.managementAddress();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
