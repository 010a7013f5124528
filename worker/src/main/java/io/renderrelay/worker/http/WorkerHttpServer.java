package io.renderrelay.worker.http;

import com.sun.net.httpserver.HttpServer;
import io.renderrelay.worker.config.WorkerConfig.HttpSettings;
import io.renderrelay.worker.job.JobQuery;
import io.renderrelay.worker.job.callback.CallbackHandler;
import io.renderrelay.worker.metrics.Metrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's two listeners (JDK HttpServer on virtual threads): the public one serves only {@code
 * POST /callbacks/{jobId}/{token}} on {@code http.port}; the management one serves {@code GET
 * /health/live}, {@code GET /health/ready}, {@code GET /metrics} and {@code GET /jobs/{jobId}} on
 * {@code http.management-port}. Time, connection and header limits: {@link HttpServerLimits}.
 */
public final class WorkerHttpServer implements AutoCloseable {

  /** No lookup wired (tests of the listeners alone): every job is unknown. */
  private static final JobQuery NO_JOBS =
      (jobId, forwarded) ->
          new JobQuery.Answer(404, HttpExchanges.resultBody("job lookup not configured"));

  private static final Logger log = LoggerFactory.getLogger(WorkerHttpServer.class);
  private static final int BACKLOG = 128;

  private final HttpSettings settings;
  private final CallbackServer callbacks;
  private final ManagementServer management;
  private HttpServer callbackServer;
  private HttpServer managementServer;
  private ExecutorService executor;

  public WorkerHttpServer(
      HttpSettings settings,
      HealthRegistry health,
      Metrics metrics,
      CallbackHandler callbacks,
      Clock clock) {
    this(settings, health, metrics, callbacks, NO_JOBS, clock);
  }

  /** With {@code GET /jobs/{jobId}} on the management listener answered by {@code jobs}. */
  public WorkerHttpServer(
      HttpSettings settings,
      HealthRegistry health,
      Metrics metrics,
      CallbackHandler callbacks,
      JobQuery jobs,
      Clock clock) {
    this.settings = settings;
    this.callbacks =
        new CallbackServer(
            settings.maxCallbackBytes(), settings.callbacksPerSecond(), metrics, callbacks, clock);
    this.management = new ManagementServer(health, metrics, jobs);
  }

  /** Binds and starts both listeners; returns the callback address (port 0 picks a free one). */
  public synchronized InetSocketAddress start() throws IOException {
    if (callbackServer != null) {
      throw new IllegalStateException("already started");
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    HttpServer mgmt = bind(settings.managementPort());
    HttpServer pub;
    try {
      pub = bind(settings.port());
    } catch (IOException e) {
      mgmt.stop(0);
      executor.shutdownNow();
      throw e;
    }
    management.route(mgmt);
    callbacks.route(pub);
    mgmt.start();
    pub.start();
    managementServer = mgmt;
    callbackServer = pub;
    log.info(
        "HTTP listening: callbacks on {}, management (health, metrics) on {}",
        pub.getAddress(),
        mgmt.getAddress());
    return pub.getAddress();
  }

  private HttpServer bind(int port) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(settings.bindAddress(), port), BACKLOG);
    s.setExecutor(executor);
    return s;
  }

  /** The bound callback address; only after {@link #start()}. */
  public synchronized InetSocketAddress address() {
    if (callbackServer == null) {
      throw new IllegalStateException("not started");
    }
    return callbackServer.getAddress();
  }

  /** The bound management address; only after {@link #start()}. */
  public synchronized InetSocketAddress managementAddress() {
    if (managementServer == null) {
      throw new IllegalStateException("not started");
    }
    return managementServer.getAddress();
  }

  /** True while the public callback listener accepts connections. */
  public synchronized boolean callbacksListening() {
    return callbackServer != null;
  }

  /** Stops accepting, gives running exchanges up to {@code grace}, then stops. */
  public synchronized void stop(Duration grace) {
    if (callbackServer == null) {
      return;
    }
    int seconds = (int) Math.min(Integer.MAX_VALUE, Math.max(0, grace.toSeconds()));
    callbackServer.stop(seconds);
    managementServer.stop(0);
    executor.shutdownNow();
    callbackServer = null;
    managementServer = null;
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }
}
