package io.renderrelay.worker.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.devstack.simulator.InputMedia;
import io.renderrelay.devstack.simulator.InputMedia.MoovAt;
import io.renderrelay.devstack.simulator.ProviderSimulator;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.config.WorkerConfig.PreflightSettings;
import io.renderrelay.worker.job.state.Jobs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pre-flight check over HTTP against the provider simulator's input files (one per rule) and a
 * server that ignores ranges or redirects: what passes, what is refused under which rule and with
 * what message, and what is transient.
 */
@Timeout(60)
class InputCheckerIT {

  static final PreflightSettings SETTINGS =
      new PreflightSettings(true, Duration.ofSeconds(5), 1L << 20, 2L << 20, 0.01, 3, false);

  static ProviderSimulator sim;
  static HttpServer plain;
  static InputChecker checker;
  static final AtomicInteger plainRequests = new AtomicInteger();
  static final AtomicInteger slowNow = new AtomicInteger();
  static final AtomicInteger slowMost = new AtomicInteger();
  static final AtomicInteger held = new AtomicInteger();
  static final java.util.concurrent.CountDownLatch release =
      new java.util.concurrent.CountDownLatch(1);

  @BeforeAll
  static void start() throws IOException {
    sim = new ProviderSimulator(SimulatorConfig.defaults(), Clock.systemUTC()).start();
    plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    // ignores Range (always 200, whole body) and redirects /moved
    Map<String, byte[]> files =
        Map.of(
            "/moov-end.mp4", InputMedia.mp4(1280, 720, false, MoovAt.END, 200 << 10, false),
            "/moov-start.mp4", InputMedia.mp4(1280, 720, false, MoovAt.START, 200 << 10, false));
    plain.createContext(
        "/",
        ex -> {
          try (ex) {
            plainRequests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            if (path.equals("/slow.mp4")) {
              slowMost.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
              try {
                Thread.sleep(250);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                slowNow.decrementAndGet();
              }
              path = "/moov-start.mp4";
            }
            if (path.equals("/hold.mp4")) {
              held.incrementAndGet();
              try {
                release.await(20, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              path = "/moov-start.mp4";
            }
            if (path.equals("/moved")) {
              ex.getResponseHeaders().set("Location", sim.baseUrl() + "/inputs/act-one-16x9.mp4");
              ex.sendResponseHeaders(302, -1);
              return;
            }
            if (path.equals("/chunked.png")) { // no length, no ranges, cut short: a whole file
              ex.getResponseHeaders().set("Content-Type", "image/png");
              ex.sendResponseHeaders(200, 0);
              ex.getResponseBody().write(Arrays.copyOf(InputMedia.png(640, 480), 20));
              return;
            }
            byte[] body = files.get(path);
            ex.getResponseHeaders().set("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          } catch (IOException e) {
            // the check closes early on purpose
          }
        });
    plain.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    plain.start();
    checker = new InputChecker(InputChecker.downloader(SETTINGS, true), SETTINGS);
  }

  @AfterAll
  static void stop() {
    checker.close();
    plain.stop(0);
    sim.close();
  }

  static String input(String name) {
    return sim.baseUrl() + "/inputs/" + name;
  }

  static String plainUrl(String path) {
    return "http://127.0.0.1:" + plain.getAddress().getPort() + path;
  }

  static JobState actOne(String video, String image) {
    ActOneCommand c =
        ActOneCommand.newBuilder()
            .setJobId("a1")
            .setPerformanceVideoUrl(video)
            .setCharacterImageUrl(image)
            .setRequestedAt(Instant.now())
            .build();
    return Jobs.accepted(
        io.renderrelay.worker.job.state.JobCommand.of(c),
        Instant.now(),
        Instant.now().plusSeconds(3600));
  }

  static JobState restyle(String video) {
    RestyleCommand c =
        RestyleCommand.newBuilder()
            .setJobId("r1")
            .setSourceVideoUrl(video)
            .setPrompt("pixelated")
            .setOptions(RestyleOptions.newBuilder().build())
            .setRequestedAt(Instant.now())
            .build();
    return Jobs.accepted(
        io.renderrelay.worker.job.state.JobCommand.of(c),
        Instant.now(),
        Instant.now().plusSeconds(3600));
  }

  @Test
  void sixteenByNineInputsPassEvenWithTheMoovAtTheEndAndExifBeforeTheFrame() {
    assertThat(
            checker.check(actOne(input("act-one-16x9.mp4"), input("act-one-16x9.png")), () -> true))
        .isEqualTo(new Verdict.Passed(java.util.List.of()));
    assertThat(
            checker.check(actOne(input("act-one-16x9.mp4"), input("act-one-16x9.jpg")), () -> true))
        .isEqualTo(new Verdict.Passed(java.util.List.of()));
  }

  @Test
  void aFourByThreeImageOrVideoIsRefusedByTheRatioRule() {
    assertRejected(
        checker.check(actOne(input("act-one-16x9.mp4"), input("act-one-4x3.png")), () -> true),
        Rule.RATIO,
        "characterImageUrl (at 127.0.0.1) is 640x480 (1.333:1), not 16:9");
    assertRejected(
        checker.check(actOne(input("act-one-4x3.mp4"), input("act-one-16x9.png")), () -> true),
        Rule.RATIO,
        "performanceVideoUrl (at 127.0.0.1) is 1440x1080");
  }

  @Test
  void aPhoneVideoTurnedAQuarterIsPortraitAndRefused() {
    assertRejected(
        checker.check(actOne(input("portrait.mp4"), input("act-one-16x9.png")), () -> true),
        Rule.RATIO,
        "is 1080x1920");
  }

  @Test
  void anHtmlPageIsRefusedByTheTypeRule() {
    assertRejected(
        checker.check(restyle(input("page.html")), () -> true),
        Rule.TYPE,
        "sourceVideoUrl (at 127.0.0.1) is served as text/html, not a video");
    assertRejected(
        checker.check(actOne(input("act-one-16x9.mp4"), input("act-one-16x9.mp4")), () -> true),
        Rule.TYPE,
        "characterImageUrl (at 127.0.0.1) is served as video/mp4, not an image");
  }

  @Test
  void anInputLargerThanTheProviderTakesIsRefusedByTheSizeRule() {
    assertRejected(
        checker.check(restyle(input("large.mp4")), () -> true),
        Rule.SIZE,
        "more than the provider takes (1048576, preflight.max-input-bytes)");
  }

  @Test
  void aMissingInputIsRefusedAndAnUnavailableOneIsTransient() {
    assertRejected(
        checker.check(restyle(input("missing.mp4")), () -> true), Rule.REACHABLE, "HTTP 404");
    assertThat(checker.check(restyle(input("unavailable.mp4")), () -> true))
        .isInstanceOfSatisfying(
            Verdict.Transient.class, t -> assertThat(t.reason()).contains("HTTP 503"));
  }

  @Test
  void aServerThatIgnoresRangesIsReadOnlyAsFarAsTheHeadAndNeverRefusedForIt() {
    assertThat(
            checker.check(
                actOne(plainUrl("/moov-start.mp4"), input("act-one-16x9.png")), () -> true))
        .isEqualTo(new Verdict.Passed(java.util.List.of()));
    Verdict end =
        checker.check(actOne(plainUrl("/moov-end.mp4"), input("act-one-16x9.png")), () -> true);
    assertThat(end)
        .isInstanceOfSatisfying(
            Verdict.Passed.class,
            p -> assertThat(p.unchecked()).singleElement().asString().contains("ranged GETs"));
  }

  @Test
  void aFileWithoutLengthThatEndsInItsHeadIsReadWholeAndACutHeaderRefused() {
    assertRejected(
        checker.check(actOne(input("act-one-16x9.mp4"), plainUrl("/chunked.png")), () -> true),
        Rule.TYPE,
        "image ends at byte 20 before its header does");
  }

  @Test
  void aRedirectIsRefusedUnlessAllowedAndProductionRulesRefuseLoopbackHttp() {
    assertRejected(
        checker.check(restyle(plainUrl("/moved")), () -> true),
        Rule.REACHABLE,
        "the URL redirects");
    PreflightSettings follow =
        new PreflightSettings(true, Duration.ofSeconds(5), 1L << 20, 2L << 20, 0.01, 3, true);
    try (InputChecker lenient = new InputChecker(InputChecker.downloader(follow, true), follow)) {
      assertThat(lenient.check(restyle(plainUrl("/moved")), () -> true))
          .isInstanceOf(Verdict.Passed.class);
    }
    try (InputChecker strict =
        new InputChecker(InputChecker.downloader(SETTINGS, false), SETTINGS)) {
      assertRejected(
          strict.check(restyle(input("act-one-16x9.mp4")), () -> true),
          Rule.REACHABLE,
          "is not https");
    }
  }

  @Test
  void aBacklogIsCheckedSixteenAtATimeAndWaitingIsNoFailure() throws Exception {
    int jobs = 3 * InputChecker.CONCURRENT_CHECKS;
    java.util.List<java.util.concurrent.Future<Verdict>> results = new java.util.ArrayList<>();
    // each answer takes 250 ms, under the 500 ms timeout; a wait for a pooled connection would
    // pass that timeout (48 jobs, 16 at a time) and fail transiently: the wait is for a turn
    PreflightSettings quick =
        new PreflightSettings(true, Duration.ofMillis(500), 1L << 20, 2L << 20, 0.01, 3, false);
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        InputChecker busy = new InputChecker(InputChecker.downloader(quick, true), quick)) {
      for (int i = 0; i < jobs; i++) {
        results.add(threads.submit(() -> busy.check(restyle(plainUrl("/slow.mp4")), () -> true)));
      }
      for (var r : results) {
        assertThat(r.get(30, java.util.concurrent.TimeUnit.SECONDS))
            .isEqualTo(new Verdict.Passed(java.util.List.of()));
      }
    }
    assertThat(slowMost.get()).isBetween(2, InputChecker.CONCURRENT_CHECKS);
  }

  @Test
  void aCheckWaitingForItsTurnGivesUpOnceItIsNoLongerWanted() throws Exception {
    java.util.List<java.util.concurrent.Future<Verdict>> running = new java.util.ArrayList<>();
    try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        InputChecker busy = new InputChecker(InputChecker.downloader(SETTINGS, true), SETTINGS)) {
      for (int i = 0; i < InputChecker.CONCURRENT_CHECKS; i++) {
        running.add(threads.submit(() -> busy.check(restyle(plainUrl("/hold.mp4")), () -> true)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (held.get() < InputChecker.CONCURRENT_CHECKS && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(held.get()).isEqualTo(InputChecker.CONCURRENT_CHECKS);

      long start = System.nanoTime();
      Verdict waiting = busy.check(restyle(input("act-one-16x9.mp4")), () -> false);
      assertThat(waiting)
          .isInstanceOfSatisfying(
              Verdict.Transient.class, t -> assertThat(t.reason()).contains("no longer wanted"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));

      release.countDown();
      for (var r : running) {
        assertThat(r.get(10, java.util.concurrent.TimeUnit.SECONDS))
            .isEqualTo(new Verdict.Passed(java.util.List.of()));
      }
    }
  }

  private static void assertRejected(Verdict v, Rule rule, String message) {
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class,
            r -> {
              assertThat(r.rule()).as(r.reason()).isEqualTo(rule);
              assertThat(r.reason()).contains(message).doesNotContain("/inputs/");
            });
  }
}
