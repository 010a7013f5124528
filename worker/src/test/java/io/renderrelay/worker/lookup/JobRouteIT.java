package io.renderrelay.worker.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.job.JobQuery;
import io.renderrelay.worker.job.callback.CallbackResult;
import io.renderrelay.worker.metrics.Metrics;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /jobs/{jobId}} over real sockets: only on the management port, job ids with path and
 * header characters arrive whole at the owner through the forwarder, and none of them can smuggle a
 * header into an answer.
 */
@Timeout(30)
class JobRouteIT {

  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<WorkerHttpServer> servers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(WorkerHttpServer::close);
  }

  private WorkerHttpServer start(JobQuery jobs) throws Exception {
    WorkerHttpServer server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 2.0, HttpLimits.defaults()),
            new HealthRegistry(),
            Metrics.create(List.of("t"), Metrics.UnknownTagPolicy.REJECT),
            (jobId, token, body) -> CallbackResult.NOT_FOUND,
            jobs,
            Clock.systemUTC());
    server.start();
    servers.add(server);
    return server;
  }

  private JobQuery recording() {
    return (jobId, forwarded) -> {
      asked.add(jobId + (forwarded ? " (forwarded)" : ""));
      return new JobQuery.Answer(404, "{\"result\":\"unknown\"}".getBytes(StandardCharsets.UTF_8));
    };
  }

  @Test
  void theCallbackPortNeverAnswersAJobQuery() throws Exception {
    WorkerHttpServer server = start(recording());

    String answer = raw(server.address(), "GET /jobs/job-1 HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(answer).startsWith("HTTP/1.1 404");
    assertThat(asked).isEmpty();
  }

  @Test
  void aForwardedQueryReachesTheOwnerWithTheJobIdWhole() throws Exception {
    WorkerHttpServer owner = start(recording());
    URI ownerUrl = URI.create("http://127.0.0.1:" + owner.managementAddress().getPort() + "/");
    List<String> ids =
        List.of("a/b", "../metrics", "x?y=1#z", "100%", "sp ace+plus", "line\r\nX-Evil: 1", "é");
    try (HttpForwarder forwarder = new HttpForwarder(Duration.ofSeconds(5))) {
      for (String id : ids) {
        assertThat(forwarder.get(ownerUrl, id).status()).as(id).isEqualTo(404);
      }
    }
    assertThat(asked).containsExactlyElementsOf(ids.stream().map(i -> i + " (forwarded)").toList());
  }

  @Test
  void aJobIdWithAnEncodedLineBreakSetsNoHeaderInTheAnswer() throws Exception {
    WorkerHttpServer server =
        start(
            (jobId, forwarded) ->
                new JobQuery.Answer(
                    404,
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .createObjectNode()
                        .put("jobId", jobId)
                        .toString()
                        .getBytes(StandardCharsets.UTF_8)));

    String answer =
        raw(
            server.managementAddress(),
            "GET /jobs/x%0d%0aSet-Cookie:%20a=b HTTP/1.1\r\nHost: x\r\n\r\n");

    String head = answer.substring(0, answer.indexOf("\r\n\r\n"));
    assertThat(head).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("set-cookie");
  }

  private static String raw(InetSocketAddress to, String request) throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      StringBuilder sb = new StringBuilder();
      while (!sb.toString().contains("\r\n\r\n") || !sb.toString().contains("}")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      return sb.toString();
    }
  }
}
