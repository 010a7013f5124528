package io.renderrelay.e2e.demo;

import io.renderrelay.client.ListenerConfig;
import io.renderrelay.client.PublisherConfig;
import io.renderrelay.client.RegistrySettings;
import io.renderrelay.client.RenderClients;
import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.RenderEventListener;
import io.renderrelay.client.validation.ValidationRules;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.logging.LogRedaction;
import io.renderrelay.worker.logging.SecretRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Brings up the demo's three parties on a running stack, each handed to the {@link DemoSession}
 * that closes it: the worker, an upstream service's publisher and a downstream service's listener.
 */
public final class DemoParticipants {
  private final DemoSession session;
  private final Clock clock;
  private final PrintStream err;
  private final Optional<Path> workerLog;

  /**
   * Parties of one session.
   *
   * @param session owns and closes what is started here
   * @param clock time source of the worker, the publisher and the listener
   * @param err where the worker's addresses are told
   * @param workerLog where the worker's log goes, to tell the user (empty: not a file)
   */
  public DemoParticipants(
      DemoSession session, Clock clock, PrintStream err, Optional<Path> workerLog) {
    this.session = session;
    this.clock = clock;
    this.err = err;
    this.workerLog = workerLog;
  }

  /** Keeps the stack's secrets (provider key, S3 secret, callback secret) out of the log. */
  public void installRedaction() {
    DevStack stack = session.stack();
    SecretRegistry secrets = new SecretRegistry();
    secrets.register(stack.simulator().config().apiKey());
    secrets.register(stack.s3().secretKey());
    secrets.register(WorkerSettings.CALLBACK_SECRET);
    LogRedaction.installInLogback(new LogRedaction(secrets));
  }

  /** Starts the in-process worker and tells where it listens. */
  public RenderRelayWorker startWorker(WorkerConfig config) throws IOException {
    long t0 = System.nanoTime();
    session.ledgerDir(Path.of(config.instance().ledgerDir()));
    RenderRelayWorker worker = session.worker(RenderRelayWorker.start(config, clock));
    err.printf(
        Locale.ROOT,
        "demo: worker up in %s, callbacks http://%s:%d, health and metrics http://%s:%d%s%n",
        seconds(Duration.ofNanos(System.nanoTime() - t0)),
        worker.httpAddress().getHostString(),
        worker.httpAddress().getPort(),
        worker.managementAddress().getHostString(),
        worker.managementAddress().getPort(),
        workerLog.map(p -> ", log " + p).orElse(""));
    return worker;
  }

  /** A downstream service's view: a new consumer group reading render.events from the start. */
  public RenderEventListener startListener(JobTracker tracker) {
    DevStack stack = session.stack();
    RenderEventListener listener =
        session.listener(
            new RenderClients(clock)
                .listener(
                    ListenerConfig.builder(
                            stack.kafka().bootstrapServers(),
                            RegistrySettings.of(stack.registryUrl().orElseThrow()),
                            "demo-" + UUID.randomUUID())
                        .pollTimeout(Duration.ofMillis(200))
                        .build(),
                    tracker));
    listener.start();
    return listener;
  }

  /** An upstream service's publisher, checking commands with the production rules. */
  public RenderCommandPublisher openPublisher() {
    DevStack stack = session.stack();
    return session.publisher(
        new RenderClients(clock)
            .publisher(
                PublisherConfig.builder(
                        stack.kafka().bootstrapServers(),
                        RegistrySettings.of(stack.registryUrl().orElseThrow()))
                    .autoRegisterSchemas(true)
                    .validationRules(ValidationRules.defaults())
                    .build()));
  }

  /** {@code d} as seconds with one decimal, e.g. {@code 2.5 s}. */
  public static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }
}
