package io.renderrelay.worker.app;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.client.validation.CommandValidator;
import io.renderrelay.client.validation.ValidationRules;
import io.renderrelay.client.validation.Violation;
import io.renderrelay.serde.RegistryUnavailableException;
import io.renderrelay.serde.UnknownSchemaIdException;
import io.renderrelay.worker.cli.JobView;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import io.renderrelay.worker.config.WorkerConfig.RateLimitScope;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.engine.KeyedDispatcher;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.engine.PipelineListeners;
import io.renderrelay.worker.engine.PipelineLoop;
import io.renderrelay.worker.engine.PipelineRuntime;
import io.renderrelay.worker.engine.PipelineSettings;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.http.HealthCheck;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.HealthStatus;
import io.renderrelay.worker.http.WorkerHttpServer;
import io.renderrelay.worker.instance.FencingWatch;
import io.renderrelay.worker.instance.InstanceLock;
import io.renderrelay.worker.job.JobRouter;
import io.renderrelay.worker.job.callback.CallbackIngress;
import io.renderrelay.worker.job.complete.CompleteSteps;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.EventFactory;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.CommandDecoder;
import io.renderrelay.worker.job.intake.Intake;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.schedule.PollPlan;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.job.schedule.RenderTimePrior;
import io.renderrelay.worker.job.schedule.RenderTimes;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.kafka.GroupSettings;
import io.renderrelay.worker.kafka.KafkaClientFactory;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerContinuity;
import io.renderrelay.worker.ledger.LedgerExpiry;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.ledger.LedgerRestorer;
import io.renderrelay.worker.ledger.LedgerTopic;
import io.renderrelay.worker.ledger.LocalLedger;
import io.renderrelay.worker.ledger.RestoreProgress;
import io.renderrelay.worker.ledger.RocksDbLedgerStore;
import io.renderrelay.worker.ledger.RocksDbStatsBinder;
import io.renderrelay.worker.lookup.HttpForwarder;
import io.renderrelay.worker.lookup.JobLookup;
import io.renderrelay.worker.lookup.JobOwners;
import io.renderrelay.worker.lookup.ReplicaDirectory;
import io.renderrelay.worker.metrics.LibraryBinders;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.preflight.InputChecker;
import io.renderrelay.worker.preflight.Preflight;
import io.renderrelay.worker.provider.HttpProviderClient;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderHttpClientFactory;
import io.renderrelay.worker.provider.ProviderRuntime;
import io.renderrelay.worker.provider.RetrySettings;
import io.renderrelay.worker.provider.SubmissionGate;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.spend.SpendRuntime;
import io.renderrelay.worker.storage.Backoff;
import io.renderrelay.worker.storage.BoundedCopier;
import io.renderrelay.worker.storage.KeyLayout;
import io.renderrelay.worker.storage.RetryingCopier;
import io.renderrelay.worker.storage.S3ClientFactory;
import io.renderrelay.worker.storage.S3StreamingCopier;
import io.renderrelay.worker.storage.SafeDownloader;
import io.renderrelay.worker.timeline.BrokerClockProbe;
import io.renderrelay.worker.timeline.FleetClock;
import io.renderrelay.worker.timeline.OffsetEstimator;
import io.renderrelay.worker.tracing.TracedCopier;
import io.renderrelay.worker.tracing.TracedProviderClient;
import io.renderrelay.worker.tracing.TracedRouter;
import io.renderrelay.worker.tracing.Tracing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one composition root: builds every component of the worker from its configuration, starts the
 * pipeline and the HTTP server, and stops them in order.
 */
public final class RenderRelayWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RenderRelayWorker.class);

  /** The broker's default group session timeout (group.consumer.session.timeout.ms). */
  private static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

  private final WorkerConfig config;
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final Metrics metrics;
  private final PipelineRuntime runtime;
  private final WorkerHttpServer http;
  private final SubmissionGate gate;
  private final io.renderrelay.worker.spend.SpendGuard spendGuard;
  private final InetSocketAddress httpAddress;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Runnable> fatalActions = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String fatal;
  private Boolean stopped;

  private RenderRelayWorker(WorkerConfig config, Clock local, PipelineListener observer)
      throws IOException {
    this.config = config;
    Topics topics = config.kafka().topics();
    String instanceId = config.instance().instanceId();
    own(InstanceLock.acquire(Path.of(config.instance().ledgerDir()), instanceId));
    this.metrics = Metrics.create(Metrics.tierNames(config), Metrics.UnknownTagPolicy.MAP_TO_OTHER);
    MetricsBridge bridge = new MetricsBridge(metrics, topics, config.jobs().ambiguousPolicy());
    LibraryBinders binders = own(new LibraryBinders(metrics.registry())); // issue 17
    Tracing tracing = own(Tracing.create(config.tracing(), instanceId)); // issue 17
    KafkaClientFactory kafka = new KafkaClientFactory(config.kafka(), instanceId);
    Admin admin = own(kafka.admin());

    List<PollTier> tiers = new ArrayList<>(config.kafka().pollTiers());
    tiers.add(new PollTier(topics.pollNow(), Duration.ZERO, 0));
    PollSchedule schedule = new PollSchedule(tiers);
    TopicSetup topicSetup = new TopicSetup(admin, config.instance());
    int partitions = topicSetup.ensure(topics, schedule);
    if (config.spend().enabled()) {
      topicSetup.ensureSpend(config.spend().topic());
    }
    // a renamed or recreated ledger topic would forget every job: checked before anything
    // writes to it (the clock probe below does)
    LedgerContinuity.check(
        admin,
        config.kafka().groupId(),
        topics.jobs(),
        partitions,
        Set.of(topics.restyleCommands(), topics.actOneCommands()),
        Duration.ofSeconds(30));
    // the fleet's timeline: this machine's clock corrected to the broker's (design invariant 9);
    // `local` stays for local durations
    OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));
    Clock clock = new FleetClock(local, estimator);
    Producer<byte[], byte[]> callbackProducer = own(kafka.plainProducer("callbacks"));
    calibrate(
        new BrokerClockProbe(
            callbackProducer,
            topics.jobs(),
            instanceId,
            local,
            estimator,
            metrics::clockOffset,
            Duration.ofSeconds(5)),
        admin,
        topics.jobs());
    GroupSettings.apply(admin, config.kafka().groupId(), config.kafka().clientOverrides());

    SerdeFactory serde =
        own(new SerdeFactory(config.registry(), config.instance().autoRegisterSchemas()));
    SchemaSubjects.ensure(serde.registry(), topics, config.instance().autoRegisterSchemas());
    ProviderRuntime providerRuntime =
        ProviderRuntime.create(
            config.provider().submitsPerSecond(),
            config.provider().pollsPerSecond(),
            config.instance().submissionProbeInterval(),
            bridge,
            local,
            io.renderrelay.worker.retry.Sleeper.system());
    this.gate = providerRuntime.gate();
    HttpProviderClient provider =
        new HttpProviderClient(
            config.provider(),
            new ProviderHttpClientFactory().create(config.provider()),
            providerRuntime,
            RetrySettings.defaults(new SecureRandom()));

    int multipartCopies = copyPermits(config);
    int copies =
        Math.max(multipartCopies, BoundedCopier.copiesFor(Runtime.getRuntime().maxMemory()));
    S3Client s3 =
        own(
            new S3ClientFactory(
                    config.storage(),
                    S3ClientFactory.Tuning.defaults()
                        .withMaxConnections(
                            S3StreamingCopier.s3ConnectionsFor(copies, multipartCopies)))
                .create(List.of(), List.of(new S3PoolMetrics(metrics)))); // issue 17: pool
    RetryingCopier copier =
        new RetryingCopier(
            new BoundedCopier(
                new S3StreamingCopier(
                    s3,
                    SafeDownloader.fromSettings(config.storage(), copies + 2),
                    S3StreamingCopier.Options.from(config.storage()),
                    bridge,
                    local,
                    multipartCopies),
                copies),
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SecureRandom()),
            config.storage().maxCopyAttempts(),
            io.renderrelay.worker.retry.Sleeper.system(),
            bridge);
    KeyLayout layout = new KeyLayout(config.storage().rootPrefix());

    ReleasedSchemas releases = ReleasedSchemas.load();
    SpendRuntime spend =
        own(
            SpendRuntime.start( // issue 14: budget guard and the fleet's spend journal
                config.spend(),
                instanceId,
                () -> kafka.assignedConsumer("spend"),
                releases,
                metrics.registry(),
                clock));
    this.spendGuard = spend.guard();
    LedgerCodec codec =
        new LedgerCodec(InternalCodec.jobStates(releases, config.ledger().writeSchemaVersion()));
    JobRecords records =
        new JobRecords(
            topics.jobs(),
            topics.events(),
            Map.of(
                JobType.RESTYLE,
                topics.restyleCommands(),
                JobType.ACT_ONE,
                topics.actOneCommands()),
            new PollPlan(
                schedule,
                new RenderTimes(
                    config.pollPlan().minSamples(),
                    RenderTimePrior.parse(config.pollPlan().prior())),
                true, // every submit carries a callback URL; whether they arrive is learned
                config.pollPlan().maxWait()),
            codec,
            InternalCodec.tickets(releases, config.ledger().writeSchemaVersion()),
            serde.eventSerializer(),
            serde.commandSerializer());
    RocksDbLedgerStore rocks =
        own(new RocksDbLedgerStore(Path.of(config.instance().ledgerDir(), instanceId), codec));
    RocksDbStatsBinder.bind(rocks, metrics); // issue 17
    PollingJobs store = new PollingJobs(rocks, codec);
    RestoreProgress restoreProgress = new RestoreProgress(Optional.of(metrics)); // issue 13
    ScheduledExecutorService restores = ownScheduler("ledger-restore");
    CallbackTokens tokens =
        new CallbackTokens(config.instance().callbackSecret(), config.provider().callbackBaseUrl());
    CommandValidator validator = new CommandValidator(validationRules(config), clock);
    Set<String> commandTopics = Set.of(topics.restyleCommands(), topics.actOneCommands());

    // the job stages, each given what it needs: intake -> submit -> poll -> complete
    LedgerReader ledgerReader = store::get;
    ProviderClient traced = new TracedProviderClient(provider, tracing.tracer()); // issue 17
    JobRules rules =
        new JobRules(
            config.jobs().defaultDeadline(),
            config.jobs().ambiguousPolicy(),
            config.provider().maxResubmits(),
            config.provider().taskNotFoundGrace(),
            config.instance().submitRetryDelay(),
            config.jobs().unresolvedSubmitWait());
    BooleanSupplier accepting = () -> !stopping.get();
    EventFactory events = new EventFactory();
    DeadLetters deadLetters = new DeadLetters(topics.deadLetter(), clock);
    Transitions transitions =
        new Transitions(ledgerReader, records, events, deadLetters, spend.guard(), bridge, clock);
    DeadLettering deadLettering = new DeadLettering(deadLetters, bridge);
    SubmitSteps submits =
        new SubmitSteps(
            traced,
            tokens,
            // a permit is good for its POST for a third of the session timeout (see permitLifetime)
            SubmitAdmission.of(providerRuntime, permitLifetime(config)),
            spend.guard(),
            records,
            transitions,
            ledgerReader,
            rules,
            accepting,
            r ->
                callbackProducer.send(
                    r,
                    (m, e) -> {
                      if (e != null) {
                        log.warn("a submit word could not be sent: {}", e.toString());
                      }
                    }),
            bridge,
            clock);
    CompleteSteps complete =
        new CompleteSteps(
            new TracedCopier(copier, tracing.tracer()),
            (job, kind) ->
                layout.key(
                    job.getJobType(), Jobs.outputPrefix(job).orElse(null), job.getJobId(), kind),
            records,
            events,
            transitions,
            bridge,
            clock);
    PollSteps polls =
        new PollSteps(traced, records, transitions, complete, submits::intent, rules, clock);
    Intake intake =
        new Intake(
            new Ownership(partitions),
            ledgerReader,
            new CommandDecoder(
                serde.commandDeserializer(),
                e -> e instanceof RegistryUnavailableException,
                e -> e instanceof UnknownSchemaIdException),
            cmd -> validator.validate(cmd.avro()).stream().map(Violation::toString).toList(),
            rules.defaultDeadline(),
            topics.actOneCommands(),
            deadLettering,
            transitions,
            preflight(config), // issue 14: input check before intent
            submits,
            accepting,
            bridge,
            clock);
    JobRouter jobs =
        new JobRouter(
            commandTopics,
            ledgerReader,
            records,
            transitions,
            deadLettering,
            intake,
            submits,
            polls,
            bridge,
            clock);
    ownScheduler("submit-sweep")
        .scheduleWithFixedDelay(jobs::sweepAbandonedSubmits, 1, 1, TimeUnit.SECONDS);
    RecordRouter router =
        new TracedRouter( // issue 17: a span per step, the trace context in every record
            jobs, tracing.tracer(), commandTopics, topics.events(), topics.deadLetter());
    int maxInFlight = config.kafka().maxInFlightPerPartition() * config.instance().partitions();
    PipelineSettings settings =
        new PipelineSettings(
            commandTopics,
            schedule.topics(),
            config.kafka().commitInterval(),
            maxInFlight,
            config.shutdownGrace(),
            3,
            Duration.ofMillis(100));
    int maxTasks = config.provider().maxTasksInFlight();
    ReplicaDirectory directory =
        new ReplicaDirectory(
            topics.replicas(),
            own(kafka.plainProducer("replicas")),
            () -> kafka.assignedConsumer("replicas"),
            Duration.ofSeconds(5));
    HttpForwarder forwarder = own(new HttpForwarder(Duration.ofSeconds(5)));
    JobLookup lookup = // issue 13: GET /jobs/{jobId} on any replica
        new JobLookup(
            new Ownership(partitions),
            store::get,
            restoreProgress::restoring,
            new JobOwners(
                admin,
                config.kafka().groupId(),
                topics.restyleCommands(),
                directory,
                Duration.ofSeconds(5)),
            forwarder,
            new JobView(config.storage().rootPrefix())::json,
            instanceId);
    PipelineListener listener =
        PipelineListeners.of(
            bridge,
            config.instance().rateLimitScope() == RateLimitScope.PARTITION_SHARE
                ? new RateShare(
                    List.of(providerRuntime.submitLimiter(), providerRuntime.pollLimiter()),
                    partitions)
                : PipelineListener.NONE,
            store,
            observer,
            lookup,
            new FencingWatch(local, 3, Duration.ofMinutes(10), this::duplicateInstance));
    this.runtime =
        new PipelineRuntime(
            () ->
                new PipelineLoop(
                    binders.consumer(kafka.pipelineConsumer()), // issue 17: client metrics
                    binders.producer(kafka.transactionalProducer()),
                    router,
                    new LocalLedger(
                        store,
                        new LedgerRestorer(
                            () -> kafka.bulkReader("ledger-restore"),
                            topics.jobs(),
                            () -> LedgerTopic.id(admin, topics.jobs()),
                            store,
                            codec,
                            local,
                            Duration.ofMinutes(2)),
                        restores,
                        Optional.of(
                            new LedgerExpiry(
                                store,
                                topics.jobs(),
                                new LedgerExpiry.Settings(
                                    config.ledger().dedupeHorizon(),
                                    config.ledger().expiryInterval(),
                                    config.ledger().expiryBatch()),
                                clock)),
                        restoreProgress),
                    new KeyedDispatcher(),
                    settings,
                    // while submissions are stopped, intake resumes when a probe is due: otherwise
                    // a
                    // gate closed by a poll (bad key) with no command in flight never reopens; the
                    // task cap counts the committed POLLING jobs of the partitions owned now
                    () ->
                        (gate.isOpen() || gate.probeDue(local.instant()))
                            && store.count() < maxTasks,
                    listener,
                    clock),
            Duration.ofSeconds(2));

    CallbackIngress ingress =
        new CallbackIngress(tokens, records, callbackProducer, clock, Duration.ofSeconds(5));
    HealthRegistry health = new HealthRegistry();
    this.http = own(new WorkerHttpServer(config.http(), health, metrics, ingress, lookup, local));
    registerHealth(health, admin, serde, s3, local);
    this.httpAddress = http.start();
    advertise(directory, kafka.pipelineClientId());
    runtime.start();
    log.info(
        "render-relay worker started instance={} http={} topics={} tiers={}",
        instanceId,
        httpAddress,
        commandTopics,
        schedule.topics().keySet());
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
  public io.renderrelay.worker.spend.SpendGuard spendGuard() {
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
  public java.util.Optional<String> fatal() {
    return java.util.Optional.ofNullable(fatal);
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
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn(
            "closing {} failed: {}", closeables.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    return drained;
  }

  /**
   * Readiness: the pipeline runs and the callback listener accepts. Kafka, the registry, S3 and the
   * submission gate are details and metrics, never readiness: see {@link HealthRegistry}.
   */
  private void registerHealth(
      HealthRegistry health, Admin admin, SerdeFactory serde, S3Client s3, Clock clock) {
    health.registerLiveness(
        HealthCheck.of(
            "pipeline",
            () ->
                runtime.alive()
                    ? HealthStatus.up("restarts=" + runtime.restarts())
                    : HealthStatus.down("pipeline thread stopped")));
    health.registerReadiness(
        HealthCheck.of(
            "pipeline",
            () ->
                runtime.alive()
                    ? HealthStatus.up("running")
                    : HealthStatus.down("pipeline thread stopped")));
    health.registerReadiness(
        HealthCheck.of(
            "callbacks",
            () ->
                http.callbacksListening()
                    ? HealthStatus.up("listening on " + http.address())
                    : HealthStatus.down("callback listener stopped")));
    String bucket = config.storage().bucket();
    DependencyMonitor monitor =
        own(
            new DependencyMonitor(
                List.of(
                    new CachedCheck(
                        "kafka",
                        () ->
                            "cluster "
                                + admin.describeCluster().clusterId().get(3, TimeUnit.SECONDS),
                        clock,
                        Duration.ZERO),
                    new CachedCheck(
                        "schema-registry",
                        () -> serde.registry().subjects().size() + " subjects",
                        clock,
                        Duration.ZERO),
                    new CachedCheck(
                        "s3",
                        () -> {
                          s3.headBucket(b -> b.bucket(bucket));
                          return "bucket " + bucket;
                        },
                        clock,
                        Duration.ZERO)),
                metrics,
                Duration.ofSeconds(5)));
    monitor.reportTo(health);
    health.registerDependency(
        HealthCheck.of(
            "submissions",
            () ->
                gate.isOpen()
                    ? HealthStatus.up("open")
                    : HealthStatus.down("stopped: " + gate.reason().map(Enum::name).orElse("?"))));
    monitor.start();
  }

  /**
   * Learns the broker's clock before the pipeline takes work, then every 30 s; with a CreateTime
   * ledger topic it warns and the worker keeps its own clock.
   */
  private void calibrate(BrokerClockProbe probe, Admin admin, String ledgerTopic) {
    if (!BrokerClockProbe.brokerStamps(admin, ledgerTopic, Duration.ofSeconds(10))) {
      return;
    }
    probe.calibrate(5);
    probe.start(ownScheduler("clock-probe"), Duration.ofSeconds(30));
  }

  /** A single daemon thread for scheduled work, stopped when the worker closes. */
  private ScheduledExecutorService ownScheduler(String name) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(name).daemon().factory());
    own(
        () -> {
          s.shutdownNow();
          s.awaitTermination(10, TimeUnit.SECONDS);
        });
    return s;
  }

  /**
   * How long a submit permit is good for its POST: a third of the group's session timeout. The
   * permit is taken before the intent commits, so a fresh permit means the intent's commit proved
   * ownership less than that long ago, well inside the time the group waits before it gives a
   * silent member's partitions away: a step stalled longer may have lost its partition and never
   * POSTs. (Two commit intervals and a second, the bound before, expired hundreds of permits of a
   * burst on a loaded machine: each one an extra intent, word and requeue.)
   */
  static Duration permitLifetime(WorkerConfig config) {
    String session = config.kafka().clientOverrides().get("session.timeout.ms");
    Duration sessionTimeout =
        session != null && session.trim().matches("\\d{1,9}")
            ? Duration.ofMillis(Long.parseLong(session.trim()))
            : DEFAULT_SESSION_TIMEOUT;
    return sessionTimeout.dividedBy(3);
  }

  /**
   * Writes this replica's management URL to the replica directory, so other replicas forward job
   * queries for its partitions here; withdrawn at a clean stop.
   */
  private void advertise(ReplicaDirectory directory, String clientId) {
    String instanceId = config.instance().instanceId();
    URI url =
        config
            .http()
            .advertisedUrl()
            .orElseGet(
                () -> AdvertisedUrl.derive(config.http().bindAddress(), managementAddress()));
    try {
      directory.advertise(new ReplicaDirectory.Replica(instanceId, clientId, url));
      own(() -> directory.withdraw(instanceId));
    } catch (RuntimeException e) {
      log.warn(
          "replica directory not written ({}): GET /jobs/{{jobId}} on other replicas answers 503"
              + " for this replica's jobs until a restart advertises it",
          e.toString());
    }
  }

  /** The input pre-flight check (issue 14) when preflight.enabled, over its own downloader. */
  private Optional<Preflight> preflight(WorkerConfig config) {
    WorkerConfig.PreflightSettings s = config.preflight();
    if (!s.enabled()) {
      return Optional.empty();
    }
    boolean insecure = config.jobs().devMode() && !config.jobs().strictInputUrls();
    InputChecker checker = own(new InputChecker(InputChecker.downloader(s, insecure), s));
    log.info(
        "input pre-flight on: max input {} bytes, 16:9 tolerance {}, {} attempts",
        s.maxInputBytes(),
        s.ratioTolerance(),
        s.maxAttempts());
    return Optional.of(
        new Preflight(
            checker::check,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SecureRandom()),
            s.maxAttempts(),
            metrics::preflightCheck));
  }

  /** Copies at once (their part buffers fit in half the heap); the pools are sized to it. */
  private static int copyPermits(WorkerConfig config) {
    int permits =
        BoundedCopier.permitsFor(
            Runtime.getRuntime().maxMemory(), config.storage().partSizeBytes());
    log.info("multipart copies at once: at most {}", permits);
    return permits;
  }

  private static ValidationRules validationRules(WorkerConfig config) {
    boolean relaxed = config.jobs().devMode() && !config.jobs().strictInputUrls();
    ValidationRules base = relaxed ? ValidationRules.devMode() : ValidationRules.defaults();
    return base.toBuilder().maxPromptLength(config.jobs().maxPromptLength()).build();
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.add(closeable);
    return closeable;
  }
}
