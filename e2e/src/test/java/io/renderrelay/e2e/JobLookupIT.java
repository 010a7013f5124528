package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /jobs/{jobId}} on the management port of either of two workers in one group returns
 * the job from its owner's store: the asked replica answers itself or forwards to the owner found
 * through the group's assignment and the replica directory (docs/architecture.md).
 */
@Timeout(240)
class JobLookupIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)));

  static RenderRelayWorker a;
  static RenderRelayWorker b;
  static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    a = e2e.worker("lookup-a");
    b = e2e.worker("lookup-b");
  }

  @AfterAll
  static void stop() throws Exception {
    http.close();
  }

  @Test
  void eitherReplicaAnswersForEveryJobFromItsOwnersStore() throws Exception {
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String job = "lookup-" + i + "-" + UUID.randomUUID();
      jobs.add(job);
      e2e.commands().send(Commands.restyle(job, Instant.now()));
    }
    assertThat(e2e.events().awaitTerminal(jobs, Duration.ofSeconds(120))).isEqualTo(jobs.size());
    // the group may still hand every partition to the first member for a while after the second
    // started: the spread below needs both to own some
    for (RenderRelayWorker w : List.of(a, b)) {
      Waits.until(
          w.managementAddress() + " owns partitions",
          Duration.ofSeconds(60),
          () -> assignedPartitions(w) > 0);
    }

    Set<String> servers = new HashSet<>();
    for (String job : jobs) {
      for (RenderRelayWorker asked : List.of(a, b)) {
        JsonNode[] found = new JsonNode[1];
        Waits.until(
            job + " answered by " + asked.managementAddress(),
            Duration.ofSeconds(30),
            () -> {
              HttpResponse<String> r = get(asked, "/jobs/" + job);
              if (r.statusCode() == 503) {
                return false; // a partition still restoring or moving: ask again
              }
              assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
              found[0] = read(r.body());
              return true;
            });
        assertThat(found[0].path("jobId").asText()).isEqualTo(job);
        assertThat(found[0].path("state").path("jobId").asText()).isEqualTo(job);
        assertThat(found[0].path("state").path("phase").asText()).isEqualTo("COMPLETED");
        assertThat(found[0].path("state").path("s3Keys").asText()).contains(job);
        servers.add(found[0].path("servedBy").asText());
      }
    }
    assertThat(servers)
        .as("the jobs' partitions are spread over both owners, each answering for its own")
        .containsExactlyInAnyOrder("lookup-a", "lookup-b");
  }

  @Test
  void anUnknownJobIs404OnEitherReplicaAndTheCallbackPortDoesNotServeJobs() throws Exception {
    String unknown = "never-sent-" + UUID.randomUUID();
    for (RenderRelayWorker asked : List.of(a, b)) {
      Waits.until(
          "404 for " + unknown + " from " + asked.managementAddress(),
          Duration.ofSeconds(30),
          () -> get(asked, "/jobs/" + unknown).statusCode() == 404);
    }
    HttpResponse<String> onCallbackPort =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + a.httpAddress().getPort() + "/jobs/" + unknown))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(onCallbackPort.statusCode()).isEqualTo(404);
    assertThat(onCallbackPort.body()).doesNotContain("jobId");
  }

  /** The partitions the worker's group consumer holds (Kafka's own client metric). */
  static double assignedPartitions(RenderRelayWorker worker) {
    return worker
        .metrics()
        .registry()
        .find("kafka.consumer.coordinator.assigned.partitions")
        .gauges()
        .stream()
        .mapToDouble(g -> g.value())
        .filter(v -> !Double.isNaN(v))
        .sum();
  }

  static HttpResponse<String> get(RenderRelayWorker worker, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + worker.managementAddress().getPort() + path))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
