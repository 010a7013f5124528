package io.renderrelay.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads one counter from a worker's Prometheus endpoint (summed over its tags). */
final class WorkerMetrics {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI metrics;

  WorkerMetrics(int httpPort) {
    this.metrics = URI.create("http://127.0.0.1:" + httpPort + "/metrics");
  }

  /** The sum of every sample of {@code name} (0 when absent). */
  double sum(String name) throws IOException, InterruptedException {
    return sum(name, "");
  }

  /** The sum of the samples of {@code name} whose line contains {@code labelFilter}. */
  double sum(String name, String labelFilter) throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + metrics + " answered " + r.statusCode());
    }
    double total = 0;
    for (String line : r.body().split("\n")) {
      boolean sample = line.startsWith(name + "{") || line.startsWith(name + " ");
      if (sample && line.contains(labelFilter)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** Waits until {@code name} reaches {@code atLeast}; returns the last value seen. */
  double awaitAtLeast(String name, String labelFilter, double atLeast, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    double v;
    while ((v = sum(name, labelFilter)) < atLeast && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return v;
  }
}
