package io.renderrelay.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public callback listener against slow and flooding clients, in a process of its own so the
 * JDK server's limits apply as in the worker: a 2 s request timeout and 8 connections.
 */
@Timeout(60)
class EdgeLimitsIT {
  private static final int REQUEST_TIMEOUT_S = 2;
  private static final int MAX_CONNECTIONS = 8;

  /**
   * The JDK server closes a connection that never sent a request only on the tick of its idle timer
   * ({@code sun.net.httpserver.clockTick}, 10 s by default) once the request timeout has passed: up
   * to 10 s + the request timeout after the connect, not at the request timeout.
   */
  private static final int IDLE_TICK_S = 10;

  static Process process;
  static int callbackPort;
  static int managementPort;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                EdgeLimitsMain.class.getName(),
                Integer.toString(REQUEST_TIMEOUT_S),
                Integer.toString(MAX_CONNECTIONS))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null && !line.startsWith("PORTS ")) {
      // skip anything printed before
    }
    assertThat(line).as("the listener process printed its ports").isNotNull();
    String[] ports = line.split(" ");
    callbackPort = Integer.parseInt(ports[1]);
    managementPort = Integer.parseInt(ports[2]);
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.getOutputStream().close();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void slowHeadersAreCutOffAtTheRequestTimeoutAndTheListenerStillServes() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        Socket s = connect(callbackPort);
        write(s, "POST /callbacks/job-1/tok HTTP/1.1\r\nHost: x\r\n");
        slow.add(s);
      }
      long start = System.nanoTime();
      // trickle a header byte per second: an idle timeout alone would never fire
      for (Socket s : slow) {
        assertThat(closedWhileTrickling(s, Duration.ofSeconds(REQUEST_TIMEOUT_S + 8)))
            .as("a slowloris connection is closed by the server")
            .isTrue();
      }
      Duration held = Duration.ofNanos(System.nanoTime() - start);
      assertThat(held).isLessThan(Duration.ofSeconds(REQUEST_TIMEOUT_S + 8));
      assertThat(callback().statusCode()).isEqualTo(202);
    } finally {
      closeAll(slow);
    }
  }

  @Test
  void silentConnectionsAreClosedAndDoNotStarveCallbacks() throws Exception {
    // connections that send nothing at all, held open by the client: the cheapest flood
    List<Socket> silent = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS; i++) {
        silent.add(connect(callbackPort));
      }
      for (Socket s : silent) {
        assertThat(closedByServer(s, Duration.ofSeconds(REQUEST_TIMEOUT_S + IDLE_TICK_S + 3)))
            .as("a connection that sends no request is closed by the server")
            .isTrue();
      }
      assertThat(callback().statusCode()).isEqualTo(202);
    } finally {
      closeAll(silent);
    }
  }

  @Test
  void oversizedOrTooManyHeadersAreRefusedAndTheListenerStillServes() throws Exception {
    String big = "POST /callbacks/job-1/tok HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(64 * 1024);
    StringBuilder many = new StringBuilder("POST /callbacks/job-1/tok HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < 500; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    for (String request : List.of(big + "\r\n\r\n", many + "Content-Length: 0\r\n\r\n")) {
      try (Socket s = connect(callbackPort)) {
        write(s, request);
        s.setSoTimeout(10_000);
        String answer =
            new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .split("\r\n")[0];
        assertThat(answer).as("status line").doesNotContain(" 202 ").doesNotContain(" 200 ");
      } catch (IOException closed) {
        // closed without an answer: refused as well
      }
    }
    assertThat(callback().statusCode()).isEqualTo(202);
  }

  @Test
  void aSlowBodyIsCutOffAtTheRequestTimeout() throws Exception {
    try (Socket s = connect(callbackPort)) {
      write(s, "POST /callbacks/job-1/tok HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n");
      assertThat(closedWhileTrickling(s, Duration.ofSeconds(REQUEST_TIMEOUT_S + 8))).isTrue();
    }
    assertThat(callback().statusCode()).isEqualTo(202);
  }

  @Test
  void aConnectionFloodIsCappedAndTheManagementPortStaysReachable() throws Exception {
    List<Socket> flood = new ArrayList<>();
    try {
      for (int i = 0; i < MAX_CONNECTIONS * 6; i++) {
        flood.add(connect(callbackPort));
      }
      Thread.sleep(500);
      int open = 0;
      for (Socket s : flood) {
        if (!closedByServer(s, Duration.ofMillis(200))) {
          open++;
        }
      }
      assertThat(open).as("connections the server kept open").isLessThanOrEqualTo(MAX_CONNECTIONS);
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    } finally {
      closeAll(flood);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    int status = 0;
    while (status != 202 && System.nanoTime() < deadline) {
      try {
        status = callback().statusCode();
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    assertThat(status).as("callbacks are served once the flood is gone").isEqualTo(202);
  }

  @Test
  void aBodyAboveTheCapIs413() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + callbackPort + "/callbacks/job-1/tok"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4096]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
  }

  private HttpResponse<String> callback() throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + callbackPort + "/callbacks/job-1/tok"))
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** Sends one byte a second until the server closes the connection or {@code within} ends. */
  private static boolean closedWhileTrickling(Socket s, Duration within) throws IOException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        write(s, "X");
      } catch (IOException e) {
        return true;
      }
      if (closedByServer(s, Duration.ofSeconds(1))) {
        return true;
      }
    }
    return false;
  }

  /** True when the server closed (EOF or reset) within {@code wait}; bytes it sent are skipped. */
  private static boolean closedByServer(Socket s, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    InputStream in = s.getInputStream();
    try {
      byte[] buf = new byte[512];
      while (true) {
        if (in.read(buf) < 0) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static void closeAll(List<Socket> sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a test socket
      }
    }
  }
}
