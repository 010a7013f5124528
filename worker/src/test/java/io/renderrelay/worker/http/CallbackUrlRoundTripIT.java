package io.renderrelay.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.job.CallbackTokens;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.metrics.Metrics.UnknownTagPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The URL the worker gives the provider ({@link CallbackTokens#callbackUrl}) reaches the callback
 * route with the job's own id and a valid token, for every base URL the configuration accepts and
 * every job id a command may carry (the client's rule: {@code [A-Za-z0-9._:-]{1,128}}).
 */
@Timeout(30)
class CallbackUrlRoundTripIT {
  private static final Secret SECRET = new Secret("callback-secret-for-the-test");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<String> valid = new CopyOnWriteArrayList<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerHttpServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    CallbackTokens checker = new CallbackTokens(SECRET, URI.create("http://unused/callbacks"));
    server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 1000.0, HttpLimits.defaults()),
            new HealthRegistry(),
            Metrics.create(List.of("render.poll.10s"), UnknownTagPolicy.REJECT),
            (jobId, token, body) -> {
              if (!checker.valid(jobId, token)) {
                return CallbackResult.FORBIDDEN;
              }
              valid.add(jobId);
              return CallbackResult.ACCEPTED;
            },
            clock);
    port = server.start().getPort();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void everyAcceptedBaseUrlAndJobIdReachesTheJob() throws Exception {
    List<String> jobIds =
        List.of(
            "order-4711",
            "3f1c9a52-8a4e-4f0e-9a57-1c2d3e4f5a6b",
            "tenant-7:order:4711",
            "a.b_c-d",
            "x".repeat(128));
    // the paths ConfigLoaderTest shows the configuration accepts, trailing slashes and all
    for (String base : List.of("/callbacks", "/callbacks/", "/callbacks//")) {
      CallbackTokens tokens =
          new CallbackTokens(SECRET, URI.create("http://127.0.0.1:" + port + base));
      for (String jobId : jobIds) {
        URI url = tokens.callbackUrl(jobId);
        clock.advance(Duration.ofSeconds(1));
        int status =
            client
                .send(
                    HttpRequest.newBuilder(url)
                        .timeout(Duration.ofSeconds(10))
                        .POST(BodyPublishers.ofString("{\"status\":\"SUCCEEDED\"}"))
                        .build(),
                    BodyHandlers.discarding())
                .statusCode();
        assertThat(status).as("%s for job %s (base %s)", url, jobId, base).isEqualTo(202);
        assertThat(valid).as(url.toString()).endsWith(jobId);
      }
    }
  }
}
