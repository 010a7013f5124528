package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator over real HTTP, driven by java.net.http.HttpClient. */
@Timeout(60)
class ProviderSimulatorIT {
  private static final String KEY = "it-key";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private ProviderSimulator sim;
  private HttpServer receiver;

  private ProviderSimulator start(SimulatorConfig cfg) {
    sim = new ProviderSimulator(cfg, Clock.systemUTC()).start();
    return sim;
  }

  private ProviderSimulator start() {
    return start(
        SimulatorConfig.defaults()
            .withApiKey(KEY)
            .withTaskNotExistWindow(Duration.ofMillis(300))
            .withRenderTimeOverride(Duration.ZERO));
  }

  @AfterEach
  void stop() {
    if (sim != null) {
      sim.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  // ---- helpers ----

  private HttpResponse<String> post(String path, Object body, String key) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JsonRoute.JSON.writeValueAsString(body)));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JsonRoute.JSON.readTree(r.body());
  }

  private String callbackUrl(String job) {
    int port = receiver == null ? 9 : receiver.getAddress().getPort();
    return "http://127.0.0.1:" + port + "/callbacks/" + job + "/tok-" + job;
  }

  private ObjectNode restyle(String job) {
    ObjectNode b = JsonRoute.JSON.createObjectNode();
    b.put("callback_url", callbackUrl(job));
    b.put("video", "https://cdn.example/in.mp4");
    b.put("model", "gen4");
    b.put("prompt", "pixelated style");
    b.putObject("options").put("structure_transformation", 0.5).put("flip", false);
    return b;
  }

  private ObjectNode actOne(String job) {
    ObjectNode b = JsonRoute.JSON.createObjectNode();
    b.put("callback_url", callbackUrl(job));
    b.put("video", "https://cdn.example/perf.mp4");
    b.put("image", "https://cdn.example/face.png");
    return b;
  }

  private String submitRestyle(String job) throws Exception {
    HttpResponse<String> r = post("/runway/pro/video2video", restyle(job), KEY);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("data").get("task_id").asText();
  }

  private HttpResponse<String> feed(String taskId) throws Exception {
    return post("/runway/feed", Map.of("task_id", taskId), KEY);
  }

  /** Polls until the task is visible and its status is one of {@code statuses}. */
  private JsonNode pollUntil(String taskId, String... statuses) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      HttpResponse<String> r = feed(taskId);
      if (r.statusCode() == 200) {
        JsonNode env = json(r);
        if (List.of(statuses).contains(env.get("data").get("status").asText())) {
          return env;
        }
      }
      assertThat(System.nanoTime())
          .as("task %s never reached %s", taskId, List.of(statuses))
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private String downloadSha(String url) throws Exception {
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = new DigestInputStream(r.body(), md)) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private List<String> startReceiver() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/callbacks/",
        ex -> {
          bodies.add(new String(ex.getRequestBody().readAllBytes()));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    receiver.start();
    return bodies;
  }

  // ---- tests ----

  @Test
  void restyleClassicFromNotExistToSuccessWithVerifiableOutputs() throws Exception {
    start();
    HttpResponse<String> sub = post("/runway/pro/video2video", restyle("job-r"), KEY);
    JsonNode env = json(sub);
    assertThat(env.get("code").asInt()).isEqualTo(200);
    assertThat(env.get("exec_time").isNumber()).isTrue();
    String taskId = env.get("data").get("task_id").asText();
    assertThat(env.get("data").get("status").asText()).isEqualTo("0");

    HttpResponse<String> early = feed(taskId);
    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(json(early).get("error").get("code").asText()).isEqualTo("task_not_exist");

    JsonNode done = pollUntil(taskId, "3").get("data");
    assertThat(done.get("state").asText()).isEqualTo("succeeded");
    assertThat(done.get("video_url").asText()).startsWith(sim.baseUrl() + "/files/" + taskId);
    Map<String, OutputKind> urls =
        Map.of(
            "video_url",
            OutputKind.VIDEO,
            "poster",
            OutputKind.POSTER,
            "last_frame",
            OutputKind.LAST_FRAME);
    for (var e : urls.entrySet()) {
      assertThat(downloadSha(done.get(e.getKey()).asText()))
          .isEqualTo(sim.control().outputChecksum(taskId, e.getValue()));
    }
    assertThat(sim.control().fileDownloads()).isEqualTo(3);
    assertThat(sim.control().paidSubmissions()).containsEntry("job-r", 1);
    assertThat(sim.control().requestsByEndpointAndStatus())
        .containsEntry("submit_restyle 200", 1L)
        .containsKey("feed 400");
    assertThat(sim.control().polls())
        .isEqualTo(sim.control().requestsByEndpointAndStatus().get("feed 400") + 1);
  }

  @Test
  void actOneModernToSuccess() throws Exception {
    start();
    sim.control().answerFormat(AnswerFormat.MODERN);
    HttpResponse<String> sub = post("/runway/pro/act_one", actOne("job-a"), KEY);
    assertThat(sub.statusCode()).isEqualTo(200);
    String taskId = json(sub).get("data").get("task_id").asText();
    JsonNode env = pollUntil(taskId, "SUCCESS");
    assertThat(env.get("code").asText()).isEqualTo("success");
    JsonNode d = env.get("data");
    assertThat(d.get("action").asText()).isEqualTo("ACT_ONE");
    assertThat(d.get("finish_time").asLong()).isPositive();
    String video = d.get("data").get("output").get(0).asText();
    assertThat(downloadSha(video))
        .isEqualTo(sim.control().outputChecksum(taskId, OutputKind.VIDEO));
  }

  @Test
  void unknownTaskAndBadInputAnswer400() throws Exception {
    start();
    HttpResponse<String> r = feed("no-such-task");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).get("error").get("type").asText()).isEqualTo("comet_api_error");
    ObjectNode bad = restyle("job-bad");
    ((ObjectNode) bad.get("options")).put("structure_transformation", 7);
    HttpResponse<String> b = post("/runway/pro/video2video", bad, KEY);
    assertThat(b.statusCode()).isEqualTo(400);
    assertThat(json(b).get("error").get("message").asText()).contains("0..1");
    assertThat(sim.control().paidSubmissions()).isEmpty();
  }

  @Test
  void streamsA64MiBVideoAndServesHead() throws Exception {
    start(
        SimulatorConfig.defaults()
            .withApiKey(KEY)
            .withTaskNotExistWindow(Duration.ZERO)
            .withRenderTimeOverride(Duration.ZERO)
            .withOutputSizes(new OutputSizes(64L << 20, 1000, 20_000)));
    String taskId = submitRestyle("job-big");
    String url = pollUntil(taskId, "3").get("data").get("video_url").asText();
    HttpResponse<Void> head =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(64L << 20);
    assertThat(head.headers().firstValue("Content-Type")).hasValue("video/mp4");
    long t0 = System.nanoTime();
    String sha = downloadSha(url);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "64 MiB streamed in %.2f s (%.0f MiB/s), JVM max heap %d MiB%n",
        secs, 64 / secs, Runtime.getRuntime().maxMemory() >> 20);
    assertThat(sha).isEqualTo(sim.control().outputChecksum(taskId, OutputKind.VIDEO));
    assertThat(sim.control().outputSize(taskId, OutputKind.VIDEO)).isEqualTo(64L << 20);
  }

  @Test
  void callbacksDeliveredAndDuplicated() throws Exception {
    List<String> bodies = startReceiver();
    start();
    String first = submitRestyle("job-cb1");
    await(() -> bodies.size() == 1, "one callback");
    JsonNode cb = JsonRoute.JSON.readTree(bodies.get(0));
    assertThat(cb.get("task_id").asText()).isEqualTo(first);
    assertThat(cb.get("status").asText()).isEqualTo("3");

    sim.control().faults().duplicateCallbacks(1.0);
    String second = submitRestyle("job-cb2");
    await(() -> bodies.size() == 3, "two more callbacks");
    assertThat(bodies.subList(1, 3))
        .allMatch(b -> b.contains(second))
        .allMatch(b -> b.equals(bodies.get(1)));
    assertThat(sim.control().callbacksSent()).isEqualTo(3);
  }

  @Test
  void lostCallbacksNeverArrive() throws Exception {
    List<String> bodies = startReceiver();
    start();
    sim.control().faults().loseCallbacks(1.0);
    submitRestyle("job-lost");
    await(() -> sim.pendingCallbacks() == 0, "callback dropped");
    sim.control().faults().loseCallbacks(0);
    String later = submitRestyle("job-kept");
    await(() -> bodies.size() == 1, "the later callback");
    assertThat(bodies.get(0)).contains(later);
    assertThat(sim.control().callbacksSent()).isEqualTo(1);
  }

  @Test
  void authCreditAndRateFaults() throws Exception {
    start();
    assertThat(post("/runway/pro/video2video", restyle("j"), "wrong").statusCode()).isEqualTo(401);
    assertThat(post("/runway/feed", Map.of("task_id", "x"), null).statusCode()).isEqualTo(401);
    sim.control().faults().wrongKey(true);
    assertThat(post("/runway/feed", Map.of("task_id", "x"), KEY).statusCode()).isEqualTo(401);
    sim.control().faults().wrongKey(false);

    sim.control().faults().noCredit(true);
    HttpResponse<String> broke = post("/runway/pro/act_one", actOne("job-broke"), KEY);
    assertThat(broke.statusCode()).isEqualTo(403);
    assertThat(json(broke).get("error").get("message").asText()).isEqualTo("insufficient balance");
    assertThat(json(broke).get("error").get("type").asText()).isEqualTo("comet_api_error");
    sim.control().faults().noCredit(false);

    sim.control().faults().rate429(new Faults.Rate429(1.0, 7));
    HttpResponse<String> limited = post("/runway/pro/act_one", actOne("job-429"), KEY);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
    sim.control().faults().rate429(null);

    sim.control().faults().rate5xx(new Faults.Rate5xx(1.0, List.of(502, 503)));
    for (int i = 0; i < 4; i++) {
      assertThat(post("/runway/pro/video2video", restyle("job-5xx"), KEY).statusCode())
          .isIn(502, 503);
    }
    sim.control().faults().rate5xx(null);
    assertThat(sim.control().paidSubmissions()).isEmpty();
    assertThat(sim.control().taskIdsOfJob("job-5xx")).isEmpty();
    assertThat(sim.control().submits()).isEqualTo(7);
  }

  @Test
  void slowAnswersStillCreateThePaidTask() throws Exception {
    start();
    sim.control().faults().slowAnswers(new Faults.SlowAnswers(1.0, 300));
    long t0 = System.nanoTime();
    submitRestyle("job-slow");
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(sim.control().paidSubmissions()).containsEntry("job-slow", 1);
  }

  @Test
  void moderationUnknownStatusAndPaidCounts() throws Exception {
    start();
    sim.control().faults().moderationFailures(new Faults.Moderation(1.0, null));
    String mod = submitRestyle("job-m");
    JsonNode failed = pollUntil(mod, "2").get("data");
    assertThat(failed.get("msg").asText()).startsWith("SAFETY.");
    sim.control().faults().moderationFailures(null);

    sim.control().renderTimeOverride(Duration.ofHours(1));
    sim.control().faults().unknownStatus(new Faults.UnknownStatus(1.0, "WEIRD_STATE"));
    String odd = submitRestyle("job-m");
    pollUntil(odd, "WEIRD_STATE");
    submitRestyle("job-other");
    assertThat(sim.control().paidSubmissions()).isEqualTo(Map.of("job-m", 2, "job-other", 1));
    assertThat(sim.control().taskIdsOfJob("job-m")).containsExactly(mod, odd);
  }

  @Test
  void outputFaults() throws Exception {
    start();
    String taskId = submitRestyle("job-out");
    String url = pollUntil(taskId, "3").get("data").get("video_url").asText();
    HttpResponse<String> ok = send("GET", url.substring(sim.baseUrl().length()), null);
    assertThat(ok.statusCode()).isEqualTo(200);

    sim.control().faults().expireOutputs(new Faults.ExpireOutputs(403, 0));
    assertThat(send("GET", "/files/" + taskId + "/poster.png", null).statusCode()).isEqualTo(403);
    sim.control().faults().expireOutputs(new Faults.ExpireOutputs(404, 3_600_000));
    assertThat(send("GET", "/files/" + taskId + "/poster.png", null).statusCode()).isEqualTo(200);
    sim.control().faults().expireOutputs(null);

    HttpClient noFollow =
        HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    sim.control().faults().fileRedirect("http://169.254.169.254/latest/meta-data/");
    HttpResponse<Void> moved =
        noFollow.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(moved.statusCode()).isEqualTo(302);
    assertThat(moved.headers().firstValue("Location"))
        .hasValue("http://169.254.169.254/latest/meta-data/");
    sim.control().faults().fileRedirect(null);

    sim.control().faults().outputBaseUrl("http://10.0.0.7:8080/");
    assertThat(json(feed(taskId)).get("data").get("video_url").asText())
        .isEqualTo("http://10.0.0.7:8080/files/" + taskId + "/video.mp4");
    sim.control().faults().outputBaseUrl(null);

    sim.control().faults().oversize(new Faults.Oversize(3_000_000, false));
    HttpResponse<byte[]> big =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(big.headers().firstValue("Content-Length")).isEmpty();
    assertThat(big.body()).hasSize(3_000_000);

    assertThat(send("GET", "/files/" + taskId + "/nope.bin", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/files/unknown/video.mp4", null).statusCode()).isEqualTo(404);
  }

  @Test
  void outputsAre404UntilTheTaskSucceeds() throws Exception {
    start();
    sim.control().renderTimeOverride(Duration.ofHours(1));
    String taskId = submitRestyle("job-wait");
    assertThat(send("GET", "/files/" + taskId + "/video.mp4", null).statusCode()).isEqualTo(404);
  }

  @Test
  void controlEndpointsOverHttp() throws Exception {
    start();
    HttpResponse<String> put =
        send(
            "PUT",
            "/_sim/faults",
            "{\"noCredit\": true, \"rate429\": {\"probability\": 0.5, \"retryAfterSeconds\": 2}}");
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    assertThat(json(put).get("noCredit").asBoolean()).isTrue();
    assertThat(sim.control().faults().rate429()).isEqualTo(new Faults.Rate429(0.5, 2));
    assertThat(send("PUT", "/_sim/faults", "{\"bogus\": 1}").statusCode()).isEqualTo(400);
    assertThat(send("DELETE", "/_sim/faults", null).statusCode()).isEqualTo(200);
    assertThat(sim.control().faults().noCredit()).isFalse();

    assertThat(json(send("PUT", "/_sim/format", "{\"format\": \"modern\"}")).get("format").asText())
        .isEqualTo("MODERN");
    assertThat(sim.control().answerFormat()).isEqualTo(AnswerFormat.MODERN);
    send("PUT", "/_sim/render-time", "{\"overrideMillis\": 0}");
    assertThat(sim.control().renderTimeOverride()).isEqualTo(Duration.ZERO);

    String taskId = submitRestyle("job-ctl");
    pollUntil(taskId, "SUCCESS");
    JsonNode task = json(send("GET", "/_sim/tasks/" + taskId, null));
    assertThat(task.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task.get("jobId").asText()).isEqualTo("job-ctl");
    assertThat(task.get("outputs").get("VIDEO").get("sha256").asText())
        .isEqualTo(sim.control().outputChecksum(taskId, OutputKind.VIDEO));
    assertThat(json(send("GET", "/_sim/jobs/job-ctl/tasks", null)).get("taskIds").get(0).asText())
        .isEqualTo(taskId);
    assertThat(send("GET", "/_sim/tasks/nope", null).statusCode()).isEqualTo(404);

    JsonNode counters = json(send("GET", "/_sim/counters", null));
    assertThat(counters.get("paidSubmissions").get("job-ctl").asInt()).isEqualTo(1);
    assertThat(counters.get("submits").asLong()).isEqualTo(1);
    assertThat(counters.get("polls").asLong()).isPositive();
    JsonNode reset = json(send("POST", "/_sim/reset", "{}"));
    assertThat(reset.get("submits").asLong()).isZero();
    assertThat(sim.control().paidSubmissions()).isEmpty();
  }
}
