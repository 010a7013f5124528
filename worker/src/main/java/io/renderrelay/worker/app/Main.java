package io.renderrelay.worker.app;

import io.renderrelay.worker.config.ConfigException;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.LoadedConfig;
import io.renderrelay.worker.http.HttpServerLimits;
import io.renderrelay.worker.instance.InstanceLock;
import io.renderrelay.worker.logging.LogRedaction;
import io.renderrelay.worker.logging.SecretRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the worker: loads the configuration (environment, then an optional properties file), fails
 * fast with every invalid key listed, starts, and on SIGTERM (or SIGINT) drains in-flight work
 * within {@code shutdown.grace} before it exits: 0 when everything in flight finished and was
 * committed, 1 when the grace period ended the drain, 3 when another process already runs with the
 * same instance id (refused at start, or found by repeated fencing). stdout carries JSON log lines
 * only; the plain {@code READY worker http=...} and {@code STOPPED worker drained=...} lines go to
 * stderr.
 */
@Command(
    name = "render-relay-worker",
    mixinStandardHelpOptions = true,
    description =
        "The render-relay worker. Settings: docs/configuration.md (RENDER_RELAY_* variables).")
public final class Main implements java.util.concurrent.Callable<Integer> {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Main.class);

  @Option(names = "--config", description = "A properties file with settings (never secrets).")
  private Path configFile;

  @Option(
      names = "--print-config",
      description = "Print the effective configuration (secrets redacted) and exit.")
  private boolean printConfig;

  public static void main(String[] args) {
    try {
      HttpClientDefaults.apply(System.getProperties()); // before the first HTTP client is built
    } catch (IllegalArgumentException e) {
      System.err.println("render-relay: invalid configuration\n" + e.getMessage());
      System.exit(2);
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    LoadedConfig loaded;
    try {
      loaded = ConfigLoader.loadWithSources(ConfigSources.system(Optional.ofNullable(configFile)));
    } catch (ConfigException e) {
      System.err.println("render-relay: invalid configuration\n" + e.getMessage());
      return 2;
    }
    SecretRegistry secrets = new SecretRegistry();
    secrets.registerAll(loaded.secretValues());
    LogRedaction.installInLogback(new LogRedaction(secrets));
    io.renderrelay.worker.logging.JulBridge.install();
    if (printConfig) {
      System.out.println(io.renderrelay.worker.config.ConfigDump.render(loaded));
      return 0;
    }
    String offset = System.getProperty(WorkerClock.OFFSET_PROPERTY);
    Clock clock;
    try {
      clock = WorkerClock.of(offset, Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      System.err.println("render-relay: " + e.getMessage());
      return 2;
    }
    if (offset != null && !offset.isBlank()) {
      System.err.println(
          "render-relay: TESTING ONLY: the worker's clock is offset by "
              + offset
              + " (-D"
              + WorkerClock.OFFSET_PROPERTY
              + ")");
    }
    // before any HTTP server exists in this process: the JDK server reads its limits once
    HttpServerLimits.apply(loaded.config().http().limits());
    RenderRelayWorker worker;
    try {
      worker = RenderRelayWorker.start(loaded.config(), clock);
    } catch (InstanceLock.DuplicateInstanceException
        | io.renderrelay.worker.ledger.LedgerContinuity.ForeignLedgerException e) {
      System.err.println("render-relay: refusing to start: " + e.getMessage());
      return 3;
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    worker.onFatal(stopRequested::countDown);
    if (!StopSignals.onStop(stopRequested::countDown)) {
      // No signal handling: stop from a shutdown hook (the JVM then exits 143 on SIGTERM).
      Runtime.getRuntime()
          .addShutdownHook(Thread.ofPlatform().name("rr-shutdown").unstarted(worker::close));
    }
    // stdout carries JSON lines only; the plain READY / STOPPED lines that scripts and the e2e
    // WorkerProcess wait for go to stderr
    log.info(
        "render-relay worker ready http={} management={}",
        worker.httpAddress(),
        worker.managementAddress());
    System.err.println(
        "READY worker http=" + worker.httpAddress() + " management=" + worker.managementAddress());
    stopRequested.await();
    boolean drained = worker.stop();
    flushLogs();
    System.err.println("STOPPED worker drained=" + drained);
    if (worker.fatal().isPresent()) {
      System.err.println("render-relay: stopped: " + worker.fatal().get());
      return 3;
    }
    return drained ? 0 : 1;
  }

  /** Stops logback so its async appender writes the last lines before the JVM exits. */
  private static void flushLogs() {
    if (org.slf4j.LoggerFactory.getILoggerFactory()
        instanceof ch.qos.logback.classic.LoggerContext c) {
      c.stop();
    }
  }
}
