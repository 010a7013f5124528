package io.renderrelay.worker.provider;

import static io.renderrelay.worker.provider.Fixtures.API_KEY;
import static io.renderrelay.worker.provider.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.WorkerConfig.ProviderSettings;
import io.renderrelay.worker.provider.ProviderException.FatalReason;
import io.renderrelay.worker.provider.ScriptedProviderServer.Answer;
import io.renderrelay.worker.retry.Backoff;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** The HTTP client against a scripted local provider; every log line is checked for the key. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HttpProviderClientIT {

  private static final String RESTYLE = "/runway/pro/video2video";
  private static final String ACT_ONE = "/runway/pro/act_one";
  private static final String FEED = "/runway/feed";
  private static final URI CALLBACK =
      URI.create("https://worker.example.net/callbacks/job-1/tok3n");
  private static final Duration PROBE_INTERVAL = Duration.ofMinutes(5);

  private final ObjectMapper json = new ObjectMapper();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final FakeSleeper sleeper = new FakeSleeper(clock);
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final List<Throwable> thrown = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger ours = (Logger) LoggerFactory.getLogger("io.renderrelay");
  private Level rootLevel;
  private Level ourLevel;
  private ScriptedProviderServer server;
  private HttpClient http;
  private ProviderRuntime runtime;
  private HttpProviderClient client;

  @BeforeEach
  void setUp() throws Exception {
    rootLevel = root.getLevel();
    ourLevel = ours.getLevel();
    root.setLevel(Level.TRACE);
    ours.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
    server = new ScriptedProviderServer(clock);
    http = new ProviderHttpClientFactory().create(Duration.ofSeconds(2), null);
    runtime = ProviderRuntime.create(50, 50, PROBE_INTERVAL, metrics, clock, sleeper);
    client = client(server.baseUri(), Duration.ofSeconds(5), Optional.of("2024-11-06"));
  }

  @AfterEach
  void keyAppearsNowhere() {
    server.close();
    http.close();
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    ours.setLevel(ourLevel);
    assertThat(logs.list).as("the run logged something").isNotEmpty();
    for (ILoggingEvent event : logs.list) {
      assertThat(event.getFormattedMessage()).doesNotContain(API_KEY);
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
      }
    }
    for (Throwable error : thrown) {
      for (Throwable t = error; t != null; t = t.getCause()) {
        assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
        assertThat(t.toString()).doesNotContain(API_KEY);
      }
    }
    assertThat(client.toString()).doesNotContain(API_KEY);
  }

  private HttpProviderClient client(URI base, Duration requestTimeout, Optional<String> version) {
    return client(base, requestTimeout, version, new PauseAwareWait());
  }

  private HttpProviderClient client(
      URI base, Duration requestTimeout, Optional<String> version, PauseAwareWait waiter) {
    ProviderSettings settings =
        new ProviderSettings(
            base,
            Fixtures.SECRET,
            version,
            RESTYLE,
            ACT_ONE,
            FEED,
            Duration.ofSeconds(2),
            requestTimeout,
            50,
            50,
            100,
            1,
            Duration.ofMinutes(1),
            URI.create("https://worker.example.net/callbacks"));
    Random random = new Random(11);
    RetrySettings retry =
        new RetrySettings(
            new RetryPolicy(
                Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(5), random), 4),
            new RetryPolicy(
                Backoff.doubling(Duration.ofMillis(200), Duration.ofSeconds(5), random), 3),
            ErrorClassifier.DEFAULT_SAFE_SUBMIT_RETRY_STATUSES);
    return new HttpProviderClient(settings, http, runtime, retry, waiter);
  }

  private static RestyleCommand restyle() {
    return RestyleCommand.newBuilder()
        .setJobId("job-1")
        .setSourceVideoUrl("https://media.example.net/in/source.mp4")
        .setPrompt("pixelated style")
        .setModel("gen4")
        .setOptions(
            RestyleOptions.newBuilder().setStructureTransformation(0.35).setFlip(true).build())
        .setRequestedAt(Instant.parse("2026-11-25T11:59:00Z"))
        .build();
  }

  private static ActOneCommand actOne() {
    return ActOneCommand.newBuilder()
        .setJobId("job-2")
        .setPerformanceVideoUrl("https://media.example.net/in/performance.mp4")
        .setCharacterImageUrl("https://media.example.net/in/character.png")
        .setRequestedAt(Instant.parse("2026-11-25T11:59:00Z"))
        .build();
  }

  private <T extends ProviderException> T expect(Class<T> type, ThrowingCall call) {
    T error = catchThrowableOfType(type, call::run);
    assertThat(error).as("expected %s", type.getSimpleName()).isNotNull();
    thrown.add(error);
    return error;
  }

  @FunctionalInterface
  private interface ThrowingCall {
    void run() throws Exception;
  }

  private static String errorBody(String code, String message) {
    return "{\"error\": {\"message\": \""
        + message
        + " (got Authorization: {auth})\","
        + " \"type\": \"comet_api_error\", \"code\": \""
        + code
        + "\"}}";
  }

  /**
   * The provider is a third party: it gets the trace context (traceparent, tracestate) of the
   * current span, never the caller's baggage, which may carry tenant or user data.
   */
  @Test
  void submitCarriesTheTraceContextButNotTheBaggage() throws Exception {
    server.enqueue(RESTYLE, Answer.of(200, read("submit-restyle.json")));
    var span =
        io.opentelemetry.api.trace.Span.wrap(
            io.opentelemetry.api.trace.SpanContext.create(
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "00f067aa0ba902b7",
                io.opentelemetry.api.trace.TraceFlags.getSampled(),
                io.opentelemetry.api.trace.TraceState.builder().put("vendor", "opaque").build()));
    var context =
        io.opentelemetry.context.Context.root()
            .with(span)
            .with(
                io.opentelemetry.api.baggage.Baggage.builder().put("user.email", "a@b.c").build());
    try (var ignored = context.makeCurrent()) {
      client.submitRestyle(restyle(), CALLBACK);
    }
    var request = server.received(RESTYLE).get(0);
    assertThat(request.header("traceparent"))
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertThat(request.header("tracestate")).isEqualTo("vendor=opaque");
    assertThat(request.header("baggage")).isNull();
  }

  @Test
  void restyleSubmitSendsTheContractBodyAndHeaders() throws Exception {
    server.enqueue(RESTYLE, Answer.of(200, read("submit-restyle.json")));
    assertThat(client.submitRestyle(restyle(), CALLBACK)).isEqualTo("rst-7f3c");

    var request = server.received(RESTYLE).get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.header("X-Runway-Version")).isEqualTo("2024-11-06");
    assertThat(request.header("Content-Type")).isEqualTo("application/json");
    JsonNode body = json.readTree(request.body());
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("callback_url", "video", "model", "prompt", "options");
    assertThat(body.get("callback_url").asText()).isEqualTo(CALLBACK.toString());
    assertThat(body.get("video").asText()).isEqualTo("https://media.example.net/in/source.mp4");
    assertThat(body.get("model").asText()).isEqualTo("gen4");
    assertThat(body.get("prompt").asText()).isEqualTo("pixelated style");
    assertThat(body.get("options").get("structure_transformation").doubleValue()).isEqualTo(0.35);
    assertThat(body.get("options").get("flip").booleanValue()).isTrue();
    assertThat(body.get("options").size()).isEqualTo(2);
    assertThat(metrics.requests)
        .containsExactly(new RecordingMetrics.Request(ProviderEndpoint.RESTYLE, OutcomeClass.OK));
  }

  @Test
  void actOneSubmitSendsTheContractBodyAndNoVersionHeaderWhenNoneConfigured() throws Exception {
    client = client(server.baseUri(), Duration.ofSeconds(5), Optional.empty());
    server.enqueue(ACT_ONE, Answer.of(200, read("submit-act-one.json")));
    assertThat(client.submitActOne(actOne(), CALLBACK)).isEqualTo("act-91ab");

    var request = server.received(ACT_ONE).get(0);
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
    assertThat(request.header("X-Runway-Version")).isNull();
    JsonNode body = json.readTree(request.body());
    assertThat(body.properties())
        .extracting(Map.Entry::getKey)
        .containsExactlyInAnyOrder("video", "image", "callback_url");
    assertThat(body.get("video").asText())
        .isEqualTo("https://media.example.net/in/performance.mp4");
    assertThat(body.get("image").asText()).isEqualTo("https://media.example.net/in/character.png");
    assertThat(body.get("callback_url").asText()).isEqualTo(CALLBACK.toString());
  }

  @Test
  void feedReadsTheClassicFormat() throws Exception {
    server.enqueue(FEED, Answer.of(200, read("classic-succeeded.json")));
    TaskSnapshot s = client.getTask("c1a55ic-0003");
    assertThat(s.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(s.videoUrl())
        .contains(URI.create("https://cdn.example.net/renders/c1a55ic-0003.mp4"));
    var request = server.received(FEED).get(0);
    assertThat(json.readTree(request.body()))
        .isEqualTo(json.readTree("{\"task_id\": \"c1a55ic-0003\"}"));
    assertThat(request.header("Authorization")).isEqualTo("Bearer " + API_KEY);
  }

  @Test
  void feedReadsTheNewerFormat() throws Exception {
    server.enqueue(
        FEED,
        Answer.of(200, read("modern-in-progress.json")),
        Answer.of(
            200, read("modern-success-output-only.json").replace("m0dern-ok-3", "m0dern-45")));
    TaskSnapshot running = client.getTask("m0dern-45");
    assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(running.progressPercent()).contains(45);
    TaskSnapshot done = client.getTask("m0dern-45");
    assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(done.videoUrl())
        .contains(URI.create("https://cdn.example.net/m0dern-45/output.mp4"));
  }

  @Test
  void pollHonoursRetryAfterOf429AndTheLimiterPausesProcessWide() throws Exception {
    Instant t0 = clock.instant();
    server.enqueue(
        FEED,
        Answer.of(429, errorBody("rate_limit", "slow down")).withHeader("Retry-After", "3"),
        Answer.of(200, read("classic-processing.json")));
    assertThat(client.getTask("c1a55ic-0001").status()).isEqualTo(TaskStatus.RUNNING);

    var requests = server.received(FEED);
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
    assertThat(runtime.pollLimiter().blockedUntil()).isEmpty();
    assertThat(clock.instant()).isAfterOrEqualTo(t0.plusSeconds(3));
    assertThat(metrics.retries).containsExactly(ProviderEndpoint.FEED);
  }

  @Test
  void submit429WithLongRetryAfterIsHandedBackAndTheNextSubmitWaits() throws Exception {
    String date =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            clock.instant().plusSeconds(30).atZone(java.time.ZoneOffset.UTC));
    server.enqueue(
        RESTYLE,
        Answer.of(429, errorBody("rate_limit", "slow down")).withHeader("Retry-After", date),
        Answer.of(200, read("submit-restyle.json")));
    var limited =
        expect(ProviderException.Retryable.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(30));
    assertThat(limited.rateLimited()).isTrue();
    assertThat(server.received(RESTYLE)).hasSize(1);
    assertThat(sleeper.sleeps).isEmpty();

    // another submit (any thread of the process) waits for the back-off to pass
    assertThat(client.submitRestyle(restyle(), CALLBACK)).isEqualTo("rst-7f3c");
    var requests = server.received(RESTYLE);
    assertThat(Duration.between(requests.get(0).at(), requests.get(1).at()))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(metrics.waits)
        .containsExactly(new RecordingMetrics.Wait("submit", Duration.ofSeconds(30)));
  }

  @Test
  void pollServerErrorsAreRetriedWithBackoff() throws Exception {
    server.enqueue(
        FEED,
        Answer.of(502, "<html>bad gateway</html>"),
        Answer.of(500, errorBody("internal", "oops")),
        Answer.of(503, ""),
        Answer.of(200, read("classic-queued.json")));
    assertThat(client.getTask("c1a55ic-0000").status()).isEqualTo(TaskStatus.PENDING);
    assertThat(server.received(FEED)).hasSize(4);
    assertThat(sleeper.sleeps).hasSize(3);
    long[] ceilings = {200, 400, 800}; // full jitter: each wait in [0, ceiling]
    for (int i = 0; i < 3; i++) {
      assertThat(sleeper.sleeps.get(i).toMillis()).isBetween(0L, ceilings[i]);
    }
  }

  @Test
  void pollRetriesAreBounded() {
    for (int i = 0; i < 6; i++) {
      server.enqueue(FEED, Answer.of(500, errorBody("internal", "still broken")));
    }
    var error = expect(ProviderException.Retryable.class, () -> client.getTask("t-1"));
    assertThat(error)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("gave up after 4 attempts");
    assertThat(server.received(FEED)).hasSize(4);
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 504})
  void submitServerErrorIsAmbiguousAndSentExactlyOnce(int status) {
    server.enqueue(
        RESTYLE,
        Answer.of(status, errorBody("upstream", "boom")),
        Answer.of(200, read("submit-restyle.json")));
    var error =
        expect(ProviderException.Ambiguous.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(error).hasMessageContaining("HTTP " + status).hasMessageContaining("may or may not");
    assertThat(server.received(RESTYLE)).hasSize(1);
    assertThat(sleeper.sleeps).isEmpty();
  }

  @Test
  void submitAnswer200WithoutTaskIdOrWithAnErrorCodeIsAmbiguous() {
    server.enqueue(
        ACT_ONE,
        Answer.of(200, "{\"code\": 200, \"msg\": \"ok\", \"data\": {}}"),
        Answer.of(200, "{\"code\": 500, \"msg\": \"internal error\", \"data\": null}"),
        Answer.of(200, "<html>maintenance</html>"));
    assertThat(
            expect(
                ProviderException.Ambiguous.class, () -> client.submitActOne(actOne(), CALLBACK)))
        .hasMessageContaining("no data.task_id");
    assertThat(
            expect(
                ProviderException.Ambiguous.class, () -> client.submitActOne(actOne(), CALLBACK)))
        .hasMessageContaining("gateway code '500'");
    assertThat(
            expect(
                ProviderException.Ambiguous.class, () -> client.submitActOne(actOne(), CALLBACK)))
        .hasMessageContaining("not valid JSON");
    assertThat(server.received(ACT_ONE)).hasSize(3);
  }

  @Test
  void submit503IsRetried() throws Exception {
    server.enqueue(
        RESTYLE,
        Answer.of(503, errorBody("unavailable", "busy")),
        Answer.of(200, read("submit-restyle.json")));
    assertThat(client.submitRestyle(restyle(), CALLBACK)).isEqualTo("rst-7f3c");
    assertThat(server.received(RESTYLE)).hasSize(2);
    assertThat(sleeper.sleeps).hasSize(1);
  }

  @Test
  void connectionRefusedIsRetryableForSubmitsAndPolls() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    client =
        client(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5), Optional.empty());
    var submit =
        expect(ProviderException.Retryable.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(submit)
        .hasMessageContaining("the request was not sent")
        .hasMessageContaining("gave up after 3");
    var poll = expect(ProviderException.Retryable.class, () -> client.getTask("t-1"));
    assertThat(poll).hasMessageContaining("could not connect");
    assertThat(metrics.requests)
        .extracting(RecordingMetrics.Request::outcome)
        .containsOnly(OutcomeClass.RETRYABLE)
        .hasSize(7);
  }

  @Test
  void unauthorizedIsFatalClosesTheGateAndPollsGoOn() throws Exception {
    server.enqueue(RESTYLE, Answer.of(401, errorBody("invalid_api_key", "invalid key")));
    var fatal =
        expect(ProviderException.Fatal.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(fatal.reason()).isEqualTo(FatalReason.UNAUTHORIZED);
    assertThat(runtime.gate().isOpen()).isFalse();
    assertThat(runtime.gate().reason()).contains(FatalReason.UNAUTHORIZED);
    assertThat(metrics.pauses).containsExactly(FatalReason.UNAUTHORIZED);

    // a closed gate refuses submits without sending them
    var refused =
        expect(ProviderException.Fatal.class, () -> client.submitActOne(actOne(), CALLBACK));
    assertThat(refused).hasMessageContaining("paused").hasMessageContaining("not sent");
    assertThat(server.received(ACT_ONE)).isEmpty();

    // polls are never gated
    server.enqueue(FEED, Answer.of(200, read("classic-processing.json")));
    assertThat(client.getTask("c1a55ic-0001").status()).isEqualTo(TaskStatus.RUNNING);

    // after the probe interval one submit goes out; its success reopens the gate
    clock.advance(PROBE_INTERVAL);
    server.enqueue(ACT_ONE, Answer.of(200, read("submit-act-one.json")));
    assertThat(client.submitActOne(actOne(), CALLBACK)).isEqualTo("act-91ab");
    assertThat(runtime.gate().isOpen()).isTrue();
    assertThat(metrics.resumes).hasSize(1); // the gate-state metric goes back to open
  }

  @Test
  void aSubmitWithItsPermitSendsWithoutASecondRateWaitAndAClosedGateStopsANonProbe()
      throws Exception {
    SubmitAdmission admission = SubmitAdmission.of(runtime, Duration.ofSeconds(5));
    for (int i = 0; i < 60; i++) { // use up the burst: the next permit would need a wait
      runtime.submitLimiter().acquire();
    }
    Duration slept = sleeper.total();
    SubmitPermit permit = ((SubmitAdmission.Granted) admission.admit(() -> true)).permit();
    Duration permitWait = sleeper.total().minus(slept);
    assertThat(permitWait).isPositive();
    server.enqueue(ACT_ONE, Answer.of(200, read("submit-act-one.json")));
    assertThat(client.submitActOne(actOne(), CALLBACK, Optional.of(permit))).isEqualTo("act-91ab");
    assertThat(sleeper.total().minus(slept)).as("no second wait").isEqualTo(permitWait);

    runtime.gate().close(FatalReason.NO_CREDIT);
    var refused =
        expect(
            ProviderException.Fatal.class,
            () -> client.submitActOne(actOne(), CALLBACK, Optional.of(permit)));
    assertThat(refused).hasMessageContaining("not sent");
    assertThat(server.received(ACT_ONE)).hasSize(1);
  }

  @Test
  void aSubmitWithItsPermitIsOneAttemptAndASafeFailureGoesBackToTheStep() throws Exception {
    SubmitAdmission admission = SubmitAdmission.of(runtime, Duration.ofSeconds(5));
    SubmitPermit permit = ((SubmitAdmission.Granted) admission.admit(() -> true)).permit();
    server.enqueue(
        RESTYLE,
        Answer.of(503, errorBody("unavailable", "busy")),
        Answer.of(200, read("submit-restyle.json")));
    // no retry inside the client: it could POST after SIGTERM or with a stale ownership proof;
    // the step requeues the job through a new permit instead
    expect(
        ProviderException.Retryable.class,
        () -> client.submitRestyle(restyle(), CALLBACK, Optional.of(permit)));
    assertThat(server.received(RESTYLE)).hasSize(1);
  }

  @Test
  void insufficientBalanceIsFatalNoCredit() {
    server.enqueue(
        ACT_ONE, Answer.of(403, errorBody("insufficient_user_quota", "insufficient balance")));
    var fatal =
        expect(ProviderException.Fatal.class, () -> client.submitActOne(actOne(), CALLBACK));
    assertThat(fatal.reason()).isEqualTo(FatalReason.NO_CREDIT);
    assertThat(fatal).hasMessageContaining("insufficient balance");
    assertThat(runtime.gate().reason()).contains(FatalReason.NO_CREDIT);
    assertThat(server.received(ACT_ONE)).hasSize(1);
  }

  @Test
  void submitTimeoutAfterSendingIsAmbiguousAndNotRetried() {
    client = client(server.baseUri(), Duration.ofMillis(300), Optional.empty());
    server.enqueue(
        RESTYLE,
        Answer.of(200, read("submit-restyle.json")).delayed(Duration.ofSeconds(10)),
        Answer.of(200, read("submit-restyle.json")));
    long started = System.nanoTime();
    var error =
        expect(ProviderException.Ambiguous.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(error).hasMessageContaining("no answer in time");
    assertThat(error.getCause()).isInstanceOf(java.net.http.HttpTimeoutException.class);
    assertThat(server.received(RESTYLE)).hasSize(1);
  }

  @Test
  void aSubmitAnsweredWhileTheWorkerWasFrozenIsTakenNotAmbiguous() throws Exception {
    // the waiting thread is frozen 900 ms right after the POST went out (as in a SIGSTOP: its
    // monotonic clock jumps when it runs again); the provider answers at 700 ms, after the
    // 300 ms request timeout: the JDK's own request timer would have made this AMBIGUOUS
    java.util.concurrent.atomic.AtomicInteger reads =
        new java.util.concurrent.atomic.AtomicInteger();
    PauseAwareWait frozenOnce =
        new PauseAwareWait(
            () -> {
              if (reads.incrementAndGet() == 3) {
                java.util.concurrent.locks.LockSupport.parkNanos(900_000_000L);
              }
              return System.nanoTime();
            },
            Duration.ofMillis(20),
            Duration.ofMillis(200));
    client = client(server.baseUri(), Duration.ofMillis(300), Optional.empty(), frozenOnce);
    server.enqueue(
        RESTYLE, Answer.of(200, read("submit-restyle.json")).delayed(Duration.ofMillis(700)));
    assertThat(client.submitRestyle(restyle(), CALLBACK)).isNotBlank();
    assertThat(server.received(RESTYLE)).hasSize(1);
  }

  @Test
  void submitConnectionDroppedAfterSendingIsAmbiguous() {
    server.enqueue(RESTYLE, Answer.dropConnection(), Answer.of(200, read("submit-restyle.json")));
    var error =
        expect(ProviderException.Ambiguous.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(error).hasMessageContaining("after the request was sent");
    assertThat(server.received(RESTYLE)).hasSize(1);
  }

  @Test
  void pollTimeoutIsRetried() throws Exception {
    client = client(server.baseUri(), Duration.ofMillis(300), Optional.empty());
    server.enqueue(
        FEED,
        Answer.of(200, read("classic-queued.json")).delayed(Duration.ofSeconds(10)),
        Answer.of(200, read("classic-queued.json")));
    assertThat(client.getTask("c1a55ic-0000").status()).isEqualTo(TaskStatus.PENDING);
    assertThat(server.received(FEED)).hasSize(2);
  }

  @Test
  void redirectsAreNeverFollowed() {
    server.enqueue(
        RESTYLE, Answer.of(302, "").withHeader("Location", server.baseUri() + "/elsewhere"));
    server.enqueue("/elsewhere", Answer.of(200, read("submit-restyle.json")));
    var rejected =
        expect(ProviderException.Rejected.class, () -> client.submitRestyle(restyle(), CALLBACK));
    assertThat(rejected)
        .hasMessageContaining("HTTP 302")
        .hasMessageContaining("redirects are never followed");
    for (int i = 0; i < 4; i++) {
      server.enqueue(
          FEED, Answer.of(307, "").withHeader("Location", server.baseUri() + "/elsewhere"));
    }
    expect(ProviderException.Retryable.class, () -> client.getTask("t-1"));
    assertThat(server.received("/elsewhere")).isEmpty();
  }

  @Test
  void taskNotExistIsTaskNotFoundAndNotRetried() {
    server.enqueue(FEED, Answer.of(400, errorBody("task_not_exist", "task_not_exist")));
    expect(ProviderException.TaskNotFound.class, () -> client.getTask("t-new"));
    assertThat(server.received(FEED)).hasSize(1);
  }

  @Test
  void unknownStatusesAreCountedEveryTimeAndLoggedOncePerValue() throws Exception {
    String warming =
        "{\"code\": \"success\", \"data\": {\"task_id\": \"t-1\", \"status\": \"WARMING_UP\"}}";
    String mystery = "{\"code\": 200, \"data\": {\"task_id\": \"t-1\", \"status\": \"7\"}}";
    server.enqueue(FEED, Answer.of(200, warming), Answer.of(200, warming), Answer.of(200, mystery));
    for (int i = 0; i < 3; i++) {
      TaskSnapshot s = client.getTask("t-1");
      assertThat(s.status()).isEqualTo(TaskStatus.UNKNOWN);
    }
    assertThat(metrics.unknownStatuses).containsExactly("WARMING_UP", "WARMING_UP", "7");
    List<String> warnings =
        logs.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.contains("unknown task status"))
            .toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("'WARMING_UP'");
    assertThat(warnings.get(1)).contains("'7'");
  }

  @Test
  void everyErrorPathKeepsTheKeyOutOfMessagesAndLogs() {
    server.enqueue(
        FEED,
        Answer.of(400, errorBody("bad_request", "bad")),
        Answer.of(404, "{\"echo\": \"Authorization: {auth}\"}"),
        Answer.of(200, "{\"code\": \"fail\", \"message\": \"you sent {auth}\"}"),
        Answer.of(
            200,
            "{\"code\": 200, \"data\": {\"task_id\": \"t-1\", \"status\": \"2\","
                + " \"msg\": \"rejected {auth}\"}}"));
    expect(ProviderException.Rejected.class, () -> client.getTask("t-1"));
    expect(ProviderException.Rejected.class, () -> client.getTask("t-1"));
    // a non-success gateway code is retried for polls; the retried attempt gets the failure
    try {
      TaskSnapshot failed = client.getTask("t-1");
      assertThat(failed.failure().orElseThrow().reason())
          .doesNotContain(API_KEY)
          .contains("[redacted]");
    } catch (ProviderException e) {
      throw new AssertionError(e);
    }
    assertThat(logs.list.stream().map(ILoggingEvent::getFormattedMessage))
        .anyMatch(m -> m.contains("[redacted]"));
    assertThat(
            Set.copyOf(server.received(FEED).stream().map(r -> r.header("Authorization")).toList()))
        .containsExactly("Bearer " + API_KEY);
  }
}
