package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.devstack.simulator.AnswerFormat;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a worker process through every provider knob of the simulator (429 storms, 5xx, slow
 * answers, no credit, wrong key, both answer formats, unknown statuses) and checks outcomes,
 * request counts, the submission gate's readiness and metrics, and finally that the worker's JSON
 * log never contains its API key.
 */
@Timeout(240)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProviderKnobsIT {

  /** Distinctive, so a scan of the log cannot miss it (and cannot match anything else). */
  static final String API_KEY = "sk-knobs-" + UUID.randomUUID().toString().replace("-", "");

  static final Duration RENDER = Duration.ofSeconds(1);
  static final Duration DONE = Duration.ofSeconds(40);

  @TempDir static Path logs;

  @RegisterExtension
  static final E2eStack e2e =
      E2eStack.with(
          SimulatorConfig.defaults()
              .withApiKey(API_KEY)
              .withRenderTimeOverride(RENDER)
              .withTaskNotExistWindow(Duration.ofMillis(300)));

  static WorkerProcess worker;
  static WorkerProbe probe;

  @BeforeAll
  static void start() throws Exception {
    WorkerSettings settings =
        e2e.settings("knobs-1")
            .with("provider.request-timeout", "1500ms")
            .with("instance.submission-probe-interval", "1s");
    Map<String, String> env = new java.util.HashMap<>(settings.asEnvironment());
    // the production logging (JSON lines, secrets masked), at DEBUG so every provider message shows
    env.put("JAVA_TOOL_OPTIONS", "-Dlogback.configurationFile=logback.xml");
    env.put("RENDER_RELAY_LOG_LEVEL", "DEBUG");
    worker =
        e2e.own(WorkerProcess.start(env, logs.resolve("worker.log"), "256m"))
            .awaitReady(Duration.ofSeconds(60));
    probe = new WorkerProbe(settings);
  }

  @BeforeEach
  void calm() throws Exception {
    e2e.sim().faults().clear();
    e2e.sim().answerFormat(AnswerFormat.CLASSIC);
    e2e.sim().renderTimeOverride(RENDER);
    // ready, and submissions open: readiness no longer waits for the gate a test before closed
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(30),
                () ->
                    probe.ready().status() == 200
                        && probe.metric("render_relay_submission_gate_state", "state=\"open\"")
                            == 1.0))
        .as("worker ready with submissions open before the test: %s", probe.ready())
        .isTrue();
  }

  @AfterEach
  void clear() {
    e2e.sim().faults().clear();
  }

  @Test
  @Order(1)
  void rateLimitStormBacksOffHonoursRetryAfterAndEveryJobCompletes() throws Exception {
    List<String> jobs = List.of(id("storm"), id("storm"));
    e2e.sim().faults().rate429(new Faults.Rate429(1.0, 1));
    long before = e2e.sim().submits();
    jobs.forEach(j -> e2e.commands().send(Commands.restyle(j, Instant.now())));
    Thread.sleep(4_000);
    long duringStorm = e2e.sim().submits() - before;
    e2e.sim().faults().rate429(null);

    assertThat(e2e.events().awaitTerminal(jobs, DONE)).isEqualTo(2);
    jobs.forEach(
        j ->
            assertThat(e2e.events().eventsOf(j))
                .singleElement()
                .isInstanceOf(RenderCompleted.class));
    jobs.forEach(j -> assertThat(e2e.sim().paidSubmissions()).containsEntry(j, 1));
    assertThat(e2e.sim().requestsByEndpointAndStatus()).containsKey("submit_restyle 429");
    // Retry-After: 1 s honoured: about one submit per job and second, where a tight loop makes
    // thousands in 4 s
    assertThat(duringStorm).isBetween(2L, 2L * 4 * 2 + 2);
  }

  @Test
  @Order(2)
  void submit503IsRetriedAndPaidOnce() throws Exception {
    String job = id("s503");
    e2e.sim().faults().rate5xx(new Faults.Rate5xx(1.0, List.of(503)));
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(WorkerProbe.await(Duration.ofSeconds(15), () -> count("submit_restyle 503") >= 2))
        .isTrue();
    e2e.sim().faults().rate5xx(null);

    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(job)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(job, 1);
  }

  @Test
  @Order(3)
  void submit500IsAmbiguousAndNeverResubmitted() throws Exception {
    String job = id("s500");
    e2e.sim().faults().rate5xx(new Faults.Rate5xx(1.0, List.of(500)));
    long before = e2e.sim().submits();
    e2e.commands().send(Commands.restyle(job, Instant.now()));

    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    RenderFailed failed = (RenderFailed) e2e.events().eventsOf(job).get(0);
    assertThat(failed.getReason()).isEqualTo(FailureReason.AMBIGUOUS_SUBMIT);
    assertThat(failed.getMessage()).contains("500");
    Thread.sleep(1_500); // a resubmit would show up here
    assertThat(e2e.sim().submits() - before).isEqualTo(1);
    assertThat(e2e.sim().paidSubmissions())
        .doesNotContainKey(job); // the simulator's 500 took nothing
  }

  @Test
  @Order(4)
  void pollFailuresAreRetriedAndTheJobCompletes() throws Exception {
    String job = id("p5xx");
    e2e.sim().renderTimeOverride(Duration.ofSeconds(2));
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(15), () -> e2e.sim().paidSubmissions().containsKey(job)))
        .isTrue();
    e2e.sim().faults().rate5xx(new Faults.Rate5xx(1.0, List.of(500, 502, 504)));
    assertThat(WorkerProbe.await(Duration.ofSeconds(15), () -> count("feed 5") >= 3)).isTrue();
    e2e.sim().faults().rate5xx(null);

    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(job)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(job, 1);
  }

  @Test
  @Order(5)
  void slowAnswersWithinTheTimeoutComplete() throws Exception {
    String job = id("slow");
    e2e.sim().faults().slowAnswers(new Faults.SlowAnswers(1.0, 400));
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(job)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(job, 1);
  }

  @Test
  @Order(6)
  void submitSlowerThanTheRequestTimeoutIsAmbiguousWithOnePaidTaskAtMost() throws Exception {
    String job = id("timeout");
    e2e.sim().faults().slowAnswers(new Faults.SlowAnswers(1.0, 3_000));
    long before = e2e.sim().submits();
    e2e.commands().send(Commands.restyle(job, Instant.now()));

    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    RenderFailed failed = (RenderFailed) e2e.events().eventsOf(job).get(0);
    assertThat(failed.getReason()).isEqualTo(FailureReason.AMBIGUOUS_SUBMIT);
    assertThat(failed.getMessage()).contains("no answer in time");
    Thread.sleep(1_500);
    assertThat(e2e.sim().submits() - before).isEqualTo(1);
    assertThat(e2e.sim().paidSubmissions().getOrDefault(job, 0)).isLessThanOrEqualTo(1);
  }

  @Test
  @Order(7)
  void noCreditPausesSubmitsKeepsPollingAndResumesThroughTheProbe() throws Exception {
    e2e.sim().renderTimeOverride(Duration.ofSeconds(5));
    String running = id("credit-running");
    e2e.commands().send(Commands.restyle(running, Instant.now()));
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(15), () -> e2e.sim().paidSubmissions().containsKey(running)))
        .isTrue();

    e2e.sim().faults().noCredit(true);
    String waiting = id("credit-waiting");
    e2e.commands().send(Commands.restyle(waiting, Instant.now()));
    awaitGateStopped("NO_CREDIT", "paused_no_credit");

    // submissions stop: only the probe, about one per second, reaches the provider
    long before = e2e.sim().submits();
    Thread.sleep(3_000);
    assertThat(e2e.sim().submits() - before).isBetween(1L, 6L);
    // the running task is still polled to its end
    assertThat(e2e.events().awaitTerminal(List.of(running), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(running)).singleElement().isInstanceOf(RenderCompleted.class);
    // the new command waits: not failed, not dead-lettered, not paid
    assertThat(e2e.events().eventsOf(waiting)).isEmpty();
    assertThat(e2e.sim().paidSubmissions()).doesNotContainKey(waiting);

    e2e.sim().faults().noCredit(false);
    assertThat(e2e.events().awaitTerminal(List.of(waiting), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(waiting)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(waiting, 1);
    awaitGateOpen();
  }

  @Test
  @Order(8)
  void wrongKeyStopsSubmitsAndAGateClosedByAPollReopensForNewCommands() throws Exception {
    e2e.sim().renderTimeOverride(Duration.ofSeconds(3));
    String running = id("key-running");
    e2e.commands().send(Commands.restyle(running, Instant.now()));
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(15), () -> e2e.sim().paidSubmissions().containsKey(running)))
        .isTrue();

    // the polls of the running task meet the 401 first: the gate closes with no command in flight
    e2e.sim().faults().wrongKey(true);
    awaitGateStopped("UNAUTHORIZED", "stopped_bad_key");
    String fresh = id("key-fresh");
    e2e.commands().send(Commands.restyle(fresh, Instant.now()));
    Thread.sleep(2_000);
    assertThat(e2e.events().eventsOf(running)).isEmpty();
    assertThat(e2e.events().eventsOf(fresh)).isEmpty();
    assertThat(e2e.sim().paidSubmissions()).doesNotContainKey(fresh);

    e2e.sim().faults().wrongKey(false);
    assertThat(e2e.events().awaitTerminal(List.of(running, fresh), DONE)).isEqualTo(2);
    assertThat(e2e.events().eventsOf(running)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.events().eventsOf(fresh)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(e2e.sim().paidSubmissions()).containsEntry(running, 1).containsEntry(fresh, 1);
    awaitGateOpen();
  }

  @Test
  @Order(9)
  void bothAnswerFormatsComplete() throws Exception {
    String classic = id("classic");
    e2e.commands().send(Commands.restyle(classic, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(classic), DONE)).isEqualTo(1);
    RenderCompleted c = (RenderCompleted) e2e.events().eventsOf(classic).get(0);
    assertThat(c.getPoster()).isNotNull();
    assertThat(c.getLastFrame()).isNotNull();

    e2e.sim().answerFormat(AnswerFormat.MODERN);
    String modern = id("modern");
    String modernActOne = id("modern-act");
    e2e.commands().send(Commands.restyle(modern, Instant.now()));
    e2e.commands().send(Commands.actOne(modernActOne, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(modern, modernActOne), DONE)).isEqualTo(2);
    for (String job : List.of(modern, modernActOne)) {
      RenderCompleted m = (RenderCompleted) e2e.events().eventsOf(job).get(0);
      assertThat(m.getVideo().getKey()).endsWith("/" + job + "/video.mp4");
      assertThat(m.getPoster()).isNull();
      assertThat(m.getLastFrame()).isNull();
    }
  }

  @Test
  @Order(10)
  void unknownStatusIsNotTerminalIsCountedAndTheJobCompletes() throws Exception {
    double before = probe.metric("render_relay_provider_unknown_status_total", "");
    e2e.sim().renderTimeOverride(Duration.ofSeconds(3));
    e2e.sim().faults().unknownStatus(new Faults.UnknownStatus(1.0, "WEIRD_STATE"));
    String job = id("unknown");
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), DONE)).isEqualTo(1);
    assertThat(e2e.events().eventsOf(job)).singleElement().isInstanceOf(RenderCompleted.class);
    assertThat(probe.metric("render_relay_provider_unknown_status_total", ""))
        .isGreaterThan(before);
  }

  @Test
  @Order(100)
  void theApiKeyIsInNoLogLineMetricOrHealthAnswer() throws Exception {
    assertThat(worker.alive()).isTrue();
    assertThat(e2e.events().duplicated()).isEmpty();
    Thread.sleep(500); // let the async appender flush
    List<String> lines = Files.readAllLines(worker.log(), StandardCharsets.UTF_8);
    List<String> json = lines.stream().filter(l -> l.startsWith("{")).toList();
    assertThat(json).as("the worker logged JSON lines").hasSizeGreaterThan(50);
    assertThat(String.join("\n", json))
        .as("the log shows the error paths it went through")
        .contains("401")
        .contains("429")
        .contains("insufficient balance");
    assertThat(lines).noneMatch(l -> l.contains(API_KEY));
    assertThat(lines).noneMatch(l -> l.contains(API_KEY.substring(3, 20)));
    assertThat(probe.scrape()).doesNotContain(API_KEY);
    assertThat(probe.ready().body()).doesNotContain(API_KEY);
  }

  private static void awaitGateStopped(String reason, String state) throws InterruptedException {
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(20),
                () -> {
                  // a credit or key outage is shared by every replica: a detail, never NotReady
                  WorkerProbe.Answer a = probe.ready();
                  return a.status() == 200 && a.body().contains("stopped: " + reason);
                }))
        .as("readiness details say submissions are stopped for %s: %s", reason, probe.ready())
        .isTrue();
    String scrape = probe.scrape();
    assertThat(
            WorkerProbe.metric(
                scrape, "render_relay_submission_gate_state", "state=\"" + state + "\""))
        .isEqualTo(1.0);
    assertThat(WorkerProbe.metric(scrape, "render_relay_submission_gate_state", "state=\"open\""))
        .isEqualTo(0.0);
  }

  private static void awaitGateOpen() throws InterruptedException {
    assertThat(
            WorkerProbe.await(
                Duration.ofSeconds(20),
                () -> probe.ready().body().contains("\"name\":\"submissions\",\"status\":\"UP\"")))
        .as("submissions open again: %s", probe.ready())
        .isTrue();
    assertThat(probe.ready().status()).isEqualTo(200);
    assertThat(probe.metric("render_relay_submission_gate_state", "state=\"open\"")).isEqualTo(1.0);
  }

  private static long count(String prefix) {
    return e2e.sim().requestsByEndpointAndStatus().entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static String id(String what) {
    return what + "-" + UUID.randomUUID();
  }
}
