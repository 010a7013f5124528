package io.renderrelay.worker.app;

import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.engine.PipelineRuntime;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.instance.InstanceLock;
import io.renderrelay.worker.kafka.KafkaClientFactory;
import io.renderrelay.worker.metrics.LibraryBinders;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.provider.SubmissionGate;
import io.renderrelay.worker.spend.SpendGuard;
import io.renderrelay.worker.spend.SpendRuntime;
import io.renderrelay.worker.tracing.Tracing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one composition root: builds the worker from its configuration, assembly by assembly (Kafka,
 * provider, storage, ledger, job, HTTP lookup, pipeline, listeners and health), starts the pipeline
 * and the HTTP server, and stops them in order.
 */
public final class RenderRelayWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RenderRelayWorker.class);

  private final WorkerConfig config;
  private final Resources resources = new Resources();
  private final Metrics metrics;
  private final PipelineRuntime runtime;
  private final WorkerHttpServer http;
  private final SubmissionGate gate;
  private final SpendGuard spendGuard;
  private final InetSocketAddress httpAddress;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Runnable> fatalActions = new CopyOnWriteArrayList<>();
  private volatile String fatal;
  private Boolean stopped;

  private RenderRelayWorker(WorkerConfig config, Clock local, PipelineListener observer)
      throws IOException {
    this.config = config;
    String instanceId = config.instance().instanceId();
    resources.own(InstanceLock.acquire(Path.of(config.instance().ledgerDir()), instanceId));
    this.metrics = Metrics.create(Metrics.tierNames(config), Metrics.UnknownTagPolicy.MAP_TO_OTHER);
    KafkaClientFactory kafkaClients = new KafkaClientFactory(config.kafka(), instanceId);
    Core core =
        new Core(
            config,
            resources,
            metrics,
            new MetricsBridge(metrics, config.jobs().ambiguousPolicy()),
            resources.own(new LibraryBinders(metrics.registry())), // issue 17
            resources.own(Tracing.create(config.tracing(), instanceId)), // issue 17
            kafkaClients,
            resources.own(kafkaClients.admin()),
            local);
    KafkaAssembly kafka = KafkaAssembly.build(core);
    ProviderAssembly provider = ProviderAssembly.build(core);
    this.gate = provider.gate();
    StorageAssembly storage = StorageAssembly.build(core);
    ReleasedSchemas releases = ReleasedSchemas.load();
    SpendRuntime spend =
        resources.own(
            SpendRuntime.start( // issue 14: budget guard and the fleet's spend journal
                config.spend(),
                instanceId,
                () -> kafkaClients.assignedConsumer("spend"),
                releases,
                metrics.registry(),
                kafka.clock()));
    this.spendGuard = spend.guard();
    LedgerAssembly ledger = LedgerAssembly.build(core, kafka.clock(), releases);
    JobAssembly jobs =
        JobAssembly.build(
            core, kafka, provider, storage, ledger, spendGuard, releases, () -> !stopping.get());
    HttpAssembly web = HttpAssembly.build(core, kafka, ledger);
    this.runtime =
        PipelineAssembly.build(
            core,
            kafka,
            ledger,
            jobs.router(),
            provider.runtime(),
            List.of(observer, web.lookup()),
            this::duplicateInstance);
    HealthRegistry health = new HealthRegistry();
    this.http = web.server(kafka, jobs, health);
    HealthAssembly.register(health, core, runtime, http, kafka.serde(), storage.s3(), gate);
    this.httpAddress = http.start();
    web.advertise(http);
    runtime.start();
    log.info(
        "render-relay worker started instance={} http={} topics={} tiers={}",
        instanceId,
        httpAddress,
        core.commandTopics(),
        kafka.schedule().topics().keySet());
  }

  /** Builds and starts a worker. */
  public static RenderRelayWorker start(WorkerConfig config, Clock clock) throws IOException {
    return new RenderRelayWorker(config, clock, PipelineListener.NONE);
  }

  /**
   * Builds and starts a worker whose engine events also reach {@code observer} (benchmarks and
   * tests: e.g. poll lateness per record), next to the metrics.
   */
  public static RenderRelayWorker start(WorkerConfig config, Clock clock, PipelineListener observer)
      throws IOException {
    return new RenderRelayWorker(config, clock, observer);
  }

  /** The public callback listener's address. */
  public InetSocketAddress httpAddress() {
    return httpAddress;
  }

  /** The management listener's address (health, metrics). */
  public InetSocketAddress managementAddress() {
    return http.managementAddress();
  }

  public Metrics metrics() {
    return metrics;
  }

  public SubmissionGate submissionGate() {
    return gate;
  }

  /** The budget guard (issue 14): what it holds back, what the fleet spent. */
  public SpendGuard spendGuard() {
    return spendGuard;
  }

  /** Runs {@code action} once if the worker finds it cannot go on (a duplicate instance id). */
  public void onFatal(Runnable action) {
    fatalActions.add(action);
    if (fatal != null) {
      action.run();
    }
  }

  /** Why the worker stopped by itself, if it did. */
  public Optional<String> fatal() {
    return Optional.ofNullable(fatal);
  }

  private void duplicateInstance(String why) {
    log.error("stopping: {}", why);
    fatal = why;
    fatalActions.forEach(Runnable::run);
    Thread.ofPlatform().name("rr-fatal-stop").start(this::stop);
  }

  /** Stops intake, drains in-flight work within the grace period, commits and closes. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Like {@link #close()}; returns true when the pipeline drained (every step in flight finished
   * and was committed) within the grace period. Only the first call stops; later ones return its
   * result.
   */
  public synchronized boolean stop() {
    if (stopped != null) {
      return stopped;
    }
    stopping.set(true); // no new paid submit starts from here on; waits for a permit give up
    log.info("stopping: no new paid submit starts from here on");
    boolean drained = runtime.stop(config.shutdownGrace().plusSeconds(5));
    stopped = drained;
    log.info("render-relay worker stopping drained={}", drained);
    resources.close();
    return drained;
  }
}
