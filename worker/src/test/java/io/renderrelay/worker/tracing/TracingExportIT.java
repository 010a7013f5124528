package io.renderrelay.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.TracingSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With {@code tracing.otlp-enabled} the spans reach an OTLP/HTTP endpoint (here a loopback server
 * standing in for a collector); with the default they are made but nothing is sent.
 */
@Timeout(30)
class TracingExportIT {

  record Received(String path, String contentType, int bytes, String authorization, String org) {}

  @Test
  void spansAreExportedOverOtlpHttpOnlyWhenEnabled() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer collector =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(
              new Received(
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders().getFirst("Content-Type"),
                  body.length,
                  exchange.getRequestHeaders().getFirst("Authorization"),
                  exchange.getRequestHeaders().getFirst("x-org")));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    URI endpoint =
        URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
    try {
      try (Tracing off =
          Tracing.create(new TracingSettings(false, endpoint, Optional.empty(), 1.0), "it")) {
        off.tracer().spanBuilder("intake").startSpan().end();
      }
      assertThat(received).as("export is off by default").isEmpty();

      try (Tracing on =
          Tracing.create(
              new TracingSettings(
                  true,
                  endpoint,
                  Optional.of(new Secret("Authorization=Bearer%20t0k,x-org=acme")),
                  1.0),
              "it")) {
        on.tracer().spanBuilder("intake").startSpan().end();
      } // close flushes the batch
      assertThat(received).hasSize(1);
      assertThat(received.get(0).path()).isEqualTo("/v1/traces");
      assertThat(received.get(0).contentType()).isEqualTo("application/x-protobuf");
      assertThat(received.get(0).bytes()).isPositive();
      assertThat(received.get(0).authorization())
          .as("tracing.otlp-headers")
          .isEqualTo("Bearer t0k");
      assertThat(received.get(0).org()).isEqualTo("acme");
    } finally {
      collector.stop(0);
    }
  }

  /**
   * A collector that accepts connections and never answers (a blackhole): making spans never waits
   * for it, and closing waits at most the documented 10 s, so a drain still ends in time.
   */
  @Test
  void aCollectorThatNeverAnswersNeitherBlocksSpansNorHoldsShutdown() throws Exception {
    try (java.net.ServerSocket blackhole =
        new java.net.ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      URI endpoint = URI.create("http://127.0.0.1:" + blackhole.getLocalPort() + "/v1/traces");
      Tracing on = Tracing.create(new TracingSettings(true, endpoint, Optional.empty(), 1.0), "it");
      long started = System.nanoTime();
      for (int i = 0; i < 20_000; i++) {
        on.tracer().spanBuilder("poll").startSpan().end();
      }
      long makingMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(makingMillis).as("20,000 spans with the exporter stuck").isLessThan(5_000);
      long closing = System.nanoTime();
      on.close();
      long closingMillis = (System.nanoTime() - closing) / 1_000_000;
      assertThat(closingMillis).as("close waits at most 10 s").isLessThan(12_000);
    }
  }
}
