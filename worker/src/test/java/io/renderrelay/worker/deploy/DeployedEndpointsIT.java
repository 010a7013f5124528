package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.http.HealthCheck;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.HealthStatus;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.job.callback.CallbackResult;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.metrics.Metrics.UnknownTagPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment artifacts against a real worker HTTP server: the chart's probe paths answer 200,
 * and every series the alerts and the dashboard query is in the /metrics exposition (so a suffix
 * such as _max or _bucket is checked against what Micrometer really publishes).
 */
@Timeout(30)
class DeployedEndpointsIT {
  private static final List<String> TIERS =
      List.of("render.poll.10s", "render.poll.30s", "render.poll.120s", "render.poll.now");
  private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)[{ ]");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerHttpServer server;
  private URI base;
  private io.renderrelay.worker.ledger.RocksDbLedgerStore ledger;
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  @BeforeEach
  void start() throws Exception {
    HealthRegistry health = new HealthRegistry();
    health.registerLiveness(HealthCheck.of("loop", () -> HealthStatus.up("heartbeat")));
    health.registerReadiness(HealthCheck.of("kafka", () -> HealthStatus.up("assigned")));
    Metrics metrics = Metrics.create(TIERS, UnknownTagPolicy.REJECT);
    // the RocksDB families are bound to a ledger store, as the worker does
    ledger =
        new io.renderrelay.worker.ledger.RocksDbLedgerStore(
            dir.resolve("ledger"), io.renderrelay.worker.ledger.LedgerCodec.current());
    io.renderrelay.worker.ledger.RocksDbStatsBinder.bind(ledger, metrics);
    // the spend family exists with spend.enabled (SpendRuntime binds it), its counters once a
    // submit was reserved, refunded or held
    io.renderrelay.worker.spend.SpendMetrics spend =
        new io.renderrelay.worker.spend.SpendMetrics(
            metrics.registry(), new io.renderrelay.worker.spend.TenantTags(Set.of("acme"), 5));
    spend.bind(io.renderrelay.worker.spend.SpendGuard.off(Clock.systemUTC()), true, Set.of("acme"));
    spend.spent("acme", io.renderrelay.avro.JobType.RESTYLE, 100_000);
    spend.refunded("acme", io.renderrelay.avro.JobType.RESTYLE, 100_000);
    spend.held("acme", io.renderrelay.worker.spend.SpendGuard.HoldReason.GLOBAL_CAP);
    server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 10.0, HttpLimits.defaults()),
            health,
            metrics,
            (jobId, token, body) -> CallbackResult.NOT_FOUND,
            Clock.systemUTC());
    server.start();
    // probes and the scrape are on the management listener
    base = URI.create("http://127.0.0.1:" + server.managementAddress().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
    ledger.close();
  }

  @Test
  void chartProbesAndScrapePathAnswer() throws Exception {
    JsonNode probes = DeployFiles.yaml(DeployFiles.VALUES).path("probes");
    for (String probe : List.of("liveness", "readiness", "startup")) {
      String path = probes.at("/" + probe + "/path").asText();
      assertThat(get(path).statusCode()).as("%s probe %s", probe, path).isEqualTo(200);
    }
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    assertThat(get("/healthz").statusCode()).as("an unknown path").isEqualTo(404);
  }

  @Test
  void everyQueriedSeriesIsExposed() throws Exception {
    Set<String> exposed = new TreeSet<>();
    Matcher m = SAMPLE.matcher(get("/metrics").body());
    while (m.find()) {
      exposed.add(m.group(1));
    }
    Set<String> queried = new LinkedHashSet<>();
    for (JsonNode group : DeployFiles.yaml(DeployFiles.ALERTS).path("groups")) {
      group
          .path("rules")
          .forEach(r -> queried.addAll(PromQlRefs.seriesNames(r.path("expr").asText())));
    }
    for (JsonNode panel : DeployFiles.json(DeployFiles.DASHBOARD).path("panels")) {
      panel
          .path("targets")
          .forEach(t -> queried.addAll(PromQlRefs.seriesNames(t.path("expr").asText())));
    }
    assertThat(queried).hasSizeGreaterThan(15);
    assertThat(exposed).containsAll(queried);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        BodyHandlers.ofString());
  }
}
