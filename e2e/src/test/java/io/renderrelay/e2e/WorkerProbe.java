package io.renderrelay.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A test's view of a worker's HTTP server (health, Prometheus metrics, callbacks) on loopback, plus
 * a bounded wait.
 */
final class WorkerProbe {

  /** One HTTP answer. */
  record Answer(int status, String body) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final URI callbacks;

  /** Health and metrics on the management port, callbacks on the public one. */
  WorkerProbe(WorkerSettings settings) {
    this.base = URI.create("http://127.0.0.1:" + settings.managementPort());
    this.callbacks = URI.create("http://127.0.0.1:" + settings.httpPort());
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  /** {@code GET /health/ready}. */
  Answer ready() {
    return get("/health/ready");
  }

  /** The Prometheus scrape. */
  String scrape() {
    return get("/metrics").body();
  }

  /**
   * Sum of the samples of {@code name} whose labels contain {@code label} (e.g. {@code
   * state="open"}; empty for all); 0 when there is none.
   */
  double metric(String name, String label) {
    return metric(scrape(), name, label);
  }

  static double metric(String scrape, String name, String label) {
    double sum = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(name)) {
        continue;
      }
      String rest = line.substring(name.length());
      if (!(rest.startsWith("{") || rest.startsWith(" "))) {
        continue; // a longer metric name with this prefix
      }
      String labels = rest.startsWith("{") ? rest.substring(0, rest.indexOf('}') + 1) : "";
      if (label.isEmpty() || labels.contains(label)) {
        sum += Double.parseDouble(rest.substring(rest.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** {@code POST /callbacks/<jobId>/<token>} with a small task-shaped body. */
  Answer callback(String jobId, String token) {
    String body = "{\"task_id\":\"forged\",\"status\":\"3\",\"state\":\"succeeded\"}";
    return send(
        HttpRequest.newBuilder(callbacks.resolve("/callbacks/" + jobId + "/" + token))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r =
          http.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
  static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.getAsBoolean();
  }
}
