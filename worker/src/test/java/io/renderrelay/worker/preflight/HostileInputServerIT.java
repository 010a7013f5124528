package io.renderrelay.worker.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.renderrelay.devstack.simulator.InputMedia;
import io.renderrelay.devstack.simulator.InputMedia.MoovAt;
import io.renderrelay.worker.config.WorkerConfig.PreflightSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Input hosts that misbehave on purpose: a body that trickles forever, and a server that answers
 * every range with 206 but the bytes (and Content-Range) of the file's start. Neither may hold a
 * check past its timeout nor fail a good input for good.
 */
@Timeout(60)
class HostileInputServerIT {

  static final PreflightSettings SETTINGS =
      new PreflightSettings(true, Duration.ofSeconds(1), 1L << 20, 2L << 20, 0.01, 3, false);
  static final byte[] MOOV_END = InputMedia.mp4(1280, 720, false, MoovAt.END, 200 << 10, false);
  static final byte[] PNG = InputMedia.png(1280, 720);

  /** An 'ftyp' box whose 64-bit size takes the next box header to Long.MAX_VALUE - 8. */
  static final byte[] HUGE_BOX =
      java.nio.ByteBuffer.allocate(1000)
          .putInt(1)
          .put("ftyp".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .putLong(Long.MAX_VALUE - 8)
          .put("isom".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
          .array();

  static HttpServer server;
  static InputChecker checker;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/trickle.mp4", HostileInputServerIT::trickle);
    server.createContext("/lying-range.mp4", HostileInputServerIT::lyingRange);
    server.createContext(
        "/huge-box.mp4",
        ex -> {
          try (ex) {
            ex.getResponseHeaders().set("Content-Type", "video/mp4");
            ex.sendResponseHeaders(200, HUGE_BOX.length);
            ex.getResponseBody().write(HUGE_BOX);
          }
        });
    server.createContext(
        "/ok.png",
        ex -> {
          try (ex) {
            ex.getResponseHeaders().set("Content-Type", "image/png");
            ex.sendResponseHeaders(200, PNG.length);
            ex.getResponseBody().write(PNG);
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    checker = new InputChecker(InputChecker.downloader(SETTINGS, true), SETTINGS);
  }

  @AfterAll
  static void stop() {
    checker.close();
    server.stop(0);
  }

  /** 200, a length of 1 MiB, then one byte every 200 ms (never idle for the 1 s timeout). */
  static void trickle(HttpExchange ex) {
    try (ex) {
      ex.getResponseHeaders().set("Content-Type", "video/mp4");
      ex.sendResponseHeaders(200, 1L << 20);
      OutputStream out = ex.getResponseBody();
      for (int i = 0; i < 1 << 20; i++) {
        out.write(MOOV_END[i % MOOV_END.length]);
        out.flush();
        Thread.sleep(200);
      }
    } catch (IOException | InterruptedException e) {
      // the check hung up
    }
  }

  /** Every range gets 206 with the file's first bytes and a Content-Range that says so. */
  static void lyingRange(HttpExchange ex) {
    try (ex) {
      String range = ex.getRequestHeaders().getFirst("Range");
      String[] bounds = range.substring("bytes=".length()).split("-");
      int length = (int) (Long.parseLong(bounds[1]) - Long.parseLong(bounds[0]) + 1);
      byte[] body = Arrays.copyOf(MOOV_END, Math.min(length, MOOV_END.length));
      ex.getResponseHeaders().set("Content-Type", "video/mp4");
      ex.getResponseHeaders()
          .set("Content-Range", "bytes 0-" + (body.length - 1) + "/" + MOOV_END.length);
      ex.sendResponseHeaders(206, body.length);
      ex.getResponseBody().write(body);
    } catch (IOException e) {
      // the check hung up
    }
  }

  static String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  @Test
  void aBodyThatTricklesForeverIsGivenUpAfterTheTimeoutAsTransient() {
    // preemptive: a socket read does not answer an interrupt, and without the bound it reads
    // 64 KiB at 5 bytes a second (3.6 hours)
    Verdict v =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                checker.check(
                    InputCheckerIT.actOne(url("/trickle.mp4"), url("/ok.png")), () -> true),
            "one ranged GET is bounded by preflight.timeout (1 s) plus one idle read");
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Transient.class, t -> assertThat(t.reason()).contains("performanceVideoUrl"));
  }

  @Test
  void aBoxSizeThatPointsNearTheEndOfTheAddressSpaceIsRefusedAsCorruptNotThrown() {
    Verdict v =
        checker.check(InputCheckerIT.actOne(url("/huge-box.mp4"), url("/ok.png")), () -> true);
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.rule()).isEqualTo(Rule.TYPE));
  }

  @Test
  void aRangeAnsweredWithTheWrongBytesIsTransientNotRefused() {
    // the moov is at the end: the check asks for later ranges and gets the file's start again
    Verdict v =
        checker.check(InputCheckerIT.actOne(url("/lying-range.mp4"), url("/ok.png")), () -> true);
    assertThat(v)
        .isInstanceOfSatisfying(
            Verdict.Transient.class,
            t -> assertThat(t.reason()).contains("performanceVideoUrl", "does not start at byte"));
  }
}
