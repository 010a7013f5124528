package io.renderrelay.worker.http;

import io.renderrelay.worker.config.WorkerConfig.HttpLimits;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.job.callback.CallbackResult;
import io.renderrelay.worker.metrics.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The worker's listeners in a process of their own, with the limits applied as the worker's Main
 * applies them (before any server exists): {@code <request-timeout-seconds> <max-connections>}.
 * Prints {@code PORTS <callbacks> <management>}; stops when stdin closes.
 */
public final class EdgeLimitsMain {
  private EdgeLimitsMain() {}

  public static void main(String[] args) throws Exception {
    HttpLimits limits =
        new HttpLimits(
            Duration.ofSeconds(Long.parseLong(args[0])),
            Duration.ofSeconds(30),
            Integer.parseInt(args[1]));
    HttpServerLimits.apply(limits);
    HealthRegistry health = new HealthRegistry();
    health.registerReadiness(HealthCheck.of("always", () -> HealthStatus.up("fine")));
    try (WorkerHttpServer server =
        new WorkerHttpServer(
            new HttpSettings("127.0.0.1", 0, 0, 1024, 10_000, limits),
            health,
            Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT),
            (jobId, token, body) -> CallbackResult.ACCEPTED,
            Clock.systemUTC())) {
      int callbacks = server.start().getPort();
      System.out.println("PORTS " + callbacks + " " + server.managementAddress().getPort());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close stdin
      }
    }
  }
}
