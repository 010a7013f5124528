package io.renderrelay.worker.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The line the callback listener logs for a request to a wrong path says what is wrong with
 * provider.callback-base-url and never holds a callback token, whatever the path the provider or a
 * proxy in front of the worker made of the callback URL.
 */
@Timeout(30)
class CallbackNotFoundLogIT {
  /** The shape of a real token: 43 characters of base64url (HMAC-SHA256). */
  private static final String TOKEN = "Zq3xT0kPz1aB9cD8eF7gH6iJ5kL4mN3oP2qR1sT0uVw";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(CallbackServer.class);
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private WorkerHttpServer server;
  private URI base;

  @BeforeEach
  void start() throws Exception {
    logs.start();
    logger.addAppender(logs);
    server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 100.0, HttpLimits.defaults()),
            new HealthRegistry(),
            Metrics.create(List.of("render.poll.10s"), UnknownTagPolicy.REJECT),
            (jobId, token, body) -> CallbackResult.ACCEPTED,
            clock);
    base = URI.create("http://127.0.0.1:" + server.start().getPort());
  }

  @AfterEach
  void stop() {
    server.close();
    logger.detachAppender(logs);
  }

  /** POSTs a callback to {@code path} and returns the line logged for it. */
  private String logged(String path) throws Exception {
    clock.advance(Duration.ofMinutes(1)); // one line per 10 s: each request gets its own
    logs.list.clear();
    int status =
        client
            .send(
                HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(10))
                    .POST(BodyPublishers.ofString("{}"))
                    .build(),
                BodyHandlers.discarding())
            .statusCode();
    assertThat(status).as(path).isEqualTo(404);
    assertThat(logs.list).as(path).hasSize(1);
    return logs.list.get(0).getFormattedMessage();
  }

  @Test
  void aDoubledCallbacksPathIsNamedWithoutTheToken() throws Exception {
    String line = logged("/callbacks/callbacks/job-1/" + TOKEN);
    assertThat(line)
        .contains("POST /callbacks/callbacks/*/* (0 more since the last line)")
        .contains("provider.callback-base-url");
    assertThat(line).doesNotContain(TOKEN.substring(0, 8)).doesNotContain("job-1");
  }

  @Test
  void noPartOfATokenIsLoggedWhereverItStands() throws Exception {
    // a proxy that strips the /callbacks prefix (ingress-nginx's rewrite-target), a prefix the
    // proxy keeps, the token alone, and a path with the token first
    List<List<String>> pathsAndShapes =
        List.of(
            List.of("/job-1/" + TOKEN, "/*/*"),
            List.of("/relay/callbacks/job-1/" + TOKEN, "/*/callbacks/*/*"),
            List.of("/" + TOKEN, "/*"),
            List.of("/" + TOKEN + "/job-1", "/*/*"),
            List.of("/callbacks/" + TOKEN, "/callbacks/*"),
            List.of("/a/b/c/d/e/f/g/" + TOKEN, "/*/*/*/*/*/*/..."));
    for (List<String> pathAndShape : pathsAndShapes) {
      String path = pathAndShape.get(0);
      String line = logged(path);
      assertThat(line).as(path).doesNotContain(TOKEN.substring(0, 8));
      assertThat(line).as(path).contains("POST " + pathAndShape.get(1) + " (");
    }
  }
}
