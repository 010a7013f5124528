package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The standalone simulator in its own JVM with a 64 MiB heap serving a 1 GiB video: proves the
 * outputs stream, and that the content (and checksum) is reproducible in another process.
 */
@Timeout(180)
class SimulatorMainIT {
  private static final long GIB = 1L << 30;
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void oneGibVideoStreamsFromA64MibHeap() throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process =
        new ProcessBuilder(
                javaBin,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                SimulatorMain.class.getName(),
                "--api-key",
                "main-key",
                "--render-ms",
                "0",
                "--not-exist-ms",
                "0",
                "--video-bytes",
                Long.toString(GIB),
                "--format",
                "modern")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String base = null;
    for (String line; base == null && (line = out.readLine()) != null; ) {
      if (line.startsWith("SIMULATOR ")) {
        base = line.substring("SIMULATOR ".length()).trim();
      }
    }
    assertThat(base).as("simulator announced its base URL").startsWith("http://127.0.0.1:");
    CompletableFuture.runAsync(() -> out.lines().forEach(l -> {}));

    HttpClient http = HttpClient.newHttpClient();
    String body =
        "{\"callback_url\":\"http://127.0.0.1:9/callbacks/j1/t\","
            + "\"video\":\"https://x.example/a.mp4\",\"image\":\"https://x.example/b.png\"}";
    HttpResponse<String> sub =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/runway/pro/act_one"))
                .header("Authorization", "Bearer main-key")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(sub.statusCode()).as(sub.body()).isEqualTo(200);
    String taskId = JsonRoute.JSON.readTree(sub.body()).get("data").get("task_id").asText();
    HttpResponse<String> feed =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/runway/feed"))
                .header("Authorization", "Bearer main-key")
                .POST(HttpRequest.BodyPublishers.ofString("{\"task_id\":\"" + taskId + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode data = JsonRoute.JSON.readTree(feed.body()).get("data");
    assertThat(data.get("status").asText()).isEqualTo("SUCCESS");
    String url = data.get("data").get("output").get(0).asText();

    long t0 = System.nanoTime();
    HttpResponse<InputStream> dl =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(dl.statusCode()).isEqualTo(200);
    assertThat(dl.headers().firstValueAsLong("Content-Length")).hasValue(GIB);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    long n;
    try (InputStream in = new DigestInputStream(dl.body(), md)) {
      n = in.transferTo(java.io.OutputStream.nullOutputStream());
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("1 GiB from a -Xmx64m simulator in %.1f s (%.0f MiB/s)%n", secs, 1024 / secs);
    assertThat(n).isEqualTo(GIB);
    assertThat(HexFormat.of().formatHex(md.digest()))
        .isEqualTo(OutputContent.sha256(taskId, OutputKind.VIDEO, GIB));
    assertThat(process.isAlive()).isTrue();
  }
}
