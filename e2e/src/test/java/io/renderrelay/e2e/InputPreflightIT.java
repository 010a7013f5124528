package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, item 6, end to end: with {@code preflight.enabled} a job whose inputs the provider
 * would refuse ends RenderFailed INPUT_REJECTED without a POST to the provider (nothing paid), one
 * per rule; good inputs, and inputs that stay unavailable past the retries, are submitted once.
 */
@Timeout(120)
class InputPreflightIT {

  static final Duration WAIT = Duration.ofSeconds(45);

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)));

  static RenderRelayWorker worker;
  static WorkerMetrics metrics;

  @BeforeAll
  static void start() throws Exception {
    WorkerSettings settings =
        e2e.settings("preflight-1")
            .with("preflight.enabled", "true")
            .with("preflight.max-input-bytes", "1MiB")
            .with("preflight.max-attempts", "2");
    worker = e2e.worker(settings);
    metrics = new WorkerMetrics(settings.managementPort());
  }

  static String input(String name) {
    return e2e.lane().simulator().baseUrl() + "/inputs/" + name;
  }

  static ActOneCommand actOne(String job, String video, String image) {
    ActOneCommand c = Commands.actOne(job, Instant.now());
    c.setPerformanceVideoUrl(input(video));
    c.setCharacterImageUrl(input(image));
    return c;
  }

  static RestyleCommand restyle(String job, String video) {
    RestyleCommand c = Commands.restyle(job, Instant.now());
    c.setSourceVideoUrl(input(video));
    return c;
  }

  static long submitPosts() {
    return e2e.sim().requestLog().requests().stream()
        .filter(r -> r.method().equals("POST") && r.uri().startsWith("/runway/pro/"))
        .count();
  }

  @Test
  void inputsTheProviderWouldRefuseEndUnpaidWithoutAPostAndGoodOnesRunOnce() throws Exception {
    String ratio = "pf-ratio-" + UUID.randomUUID();
    String html = "pf-type-" + UUID.randomUUID();
    String large = "pf-size-" + UUID.randomUUID();
    String missing = "pf-404-" + UUID.randomUUID();
    e2e.commands().send(actOne(ratio, "act-one-16x9.mp4", "act-one-4x3.png"));
    e2e.commands().send(restyle(html, "page.html"));
    e2e.commands().send(restyle(large, "large.mp4"));
    e2e.commands().send(restyle(missing, "missing.mp4"));
    List<String> refused = List.of(ratio, html, large, missing);
    assertThat(e2e.events().awaitTerminal(refused, WAIT)).isEqualTo(refused.size());

    assertThat(failed(ratio).getMessage())
        .contains("characterImageUrl (at 127.0.0.1) is 640x480 (1.333:1), not 16:9");
    assertThat(failed(html).getMessage()).contains("served as text/html, not a video");
    assertThat(failed(large).getMessage()).contains("preflight.max-input-bytes");
    assertThat(failed(missing).getMessage()).contains("HTTP 404");
    assertThat(failed(ratio).getAttempts()).isZero();
    assertThat(submitPosts()).as("POSTs to the provider's submit endpoints").isZero();
    Expect.paid(e2e.sim(), 0, refused);
    assertThat(
            metrics.sum(
                "render_relay_preflight_checks_total",
                "job_type=\"act_one\",result=\"rejected\",rule=\"ratio\""))
        .isEqualTo(1.0);

    String good = "pf-ok-" + UUID.randomUUID();
    String down = "pf-503-" + UUID.randomUUID();
    e2e.commands().send(actOne(good, "act-one-16x9.mp4", "act-one-16x9.jpg"));
    e2e.commands().send(restyle(down, "unavailable.mp4"));
    assertThat(e2e.events().awaitTerminal(List.of(good, down), WAIT)).isEqualTo(2);
    Expect.completed(e2e.events(), good);
    Expect.completed(e2e.events(), down); // still 503 after 2 checks: submitted unchecked
    Expect.paid(e2e.sim(), 1, List.of(good, down));
    assertThat(submitPosts()).as("the log sees the two paid POSTs").isEqualTo(2);
    assertThat(e2e.events().duplicated()).isEmpty();
  }

  private static RenderFailed failed(String job) {
    return Expect.failed(e2e.events(), job, FailureReason.INPUT_REJECTED);
  }
}
