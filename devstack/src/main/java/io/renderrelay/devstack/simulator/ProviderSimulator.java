package io.renderrelay.devstack.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server on 127.0.0.1 faithful to the provider contract (CometAPI's Runway wrapper):
 * submits, Feed Get Task in both answer formats, callbacks, downloadable outputs, and runtime
 * faults. Time comes from the injected clock. See {@link SimulatorControl} for the knobs and {@link
 * ControlHandler} for the same knobs over HTTP.
 *
 * <pre>{@code
 * try (var sim = new ProviderSimulator(SimulatorConfig.defaults(), Clock.systemUTC())) {
 *   sim.start();
 *   String base = sim.baseUrl(); // http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class ProviderSimulator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProviderSimulator.class);

  private final SimulatorConfig cfg;
  private final Clock clock;
  private final SimulatorControl control;
  private final Dice dice;
  private final CallbackDispatcher callbacks;
  private HttpServer server;
  private ExecutorService executor;

  public ProviderSimulator(SimulatorConfig cfg, Clock clock) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.control = new SimulatorControl(cfg, clock);
    this.dice = new Dice(cfg.seed());
    this.callbacks = new CallbackDispatcher(control, clock, dice, cfg);
  }

  /** The settings this simulator was started with. */
  public SimulatorConfig config() {
    return cfg;
  }

  /** Binds and starts serving; idempotent. */
  public synchronized ProviderSimulator start() {
    if (server != null) {
      return this;
    }
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), cfg.port()), 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("simulator could not bind 127.0.0.1:" + cfg.port(), e);
    }
    ApiGate gate = new ApiGate(cfg.apiKey(), control.faults(), dice, control.requestLog());
    TaskPlanner planner =
        new TaskPlanner(clock, dice, control.faults(), cfg, control::renderTimeOverride);
    server.createContext(
        "/runway/pro/video2video",
        new SubmitHandler(
            JobKind.RESTYLE, "/runway/pro/video2video", gate, planner, control, callbacks));
    server.createContext(
        "/runway/pro/act_one",
        new SubmitHandler(
            JobKind.ACT_ONE, "/runway/pro/act_one", gate, planner, control, callbacks));
    server.createContext(FeedHandler.PATH, new FeedHandler(gate, control, clock));
    server.createContext(FileHandler.PREFIX, new FileHandler(control, clock));
    server.createContext(InputHandler.PREFIX, new InputHandler(control.counters()));
    server.createContext(ControlHandler.PREFIX, new ControlHandler(control));
    server.createContext("/", new NotFoundRoute(control.counters()));
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.start();
    control.baseUrl("http://127.0.0.1:" + server.getAddress().getPort());
    callbacks.start();
    log.info("provider simulator listening on {} ({})", baseUrl(), cfg);
    return this;
  }

  /** {@code http://127.0.0.1:<port>}, no trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("simulator not started");
    }
    return server.getAddress().getPort();
  }

  public SimulatorControl control() {
    return control;
  }

  /** Ended-or-not tasks still waiting for their callback to be fired (for tests). */
  int pendingCallbacks() {
    return callbacks.pendingCount();
  }

  @Override
  public synchronized void close() {
    callbacks.close();
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  /** Anything outside the known paths. */
  private static final class NotFoundRoute extends JsonRoute {
    NotFoundRoute(Counters counters) {
      super("unknown", counters);
    }

    @Override
    Answer answer(com.sun.net.httpserver.HttpExchange exchange) {
      return notFound("path " + exchange.getRequestURI().getPath());
    }
  }
}
