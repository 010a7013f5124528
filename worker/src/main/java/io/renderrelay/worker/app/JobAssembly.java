package io.renderrelay.worker.app;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.client.validation.CommandValidator;
import io.renderrelay.client.validation.ValidationRules;
import io.renderrelay.client.validation.Violation;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.RegistryUnavailableException;
import io.renderrelay.serde.UnknownSchemaIdException;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.job.JobRouter;
import io.renderrelay.worker.job.complete.CompleteSteps;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.EventFactory;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.CommandDecoder;
import io.renderrelay.worker.job.intake.Intake;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.schedule.FleetRenderTimes;
import io.renderrelay.worker.job.schedule.PollPlan;
import io.renderrelay.worker.job.schedule.RenderTimes;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.metrics.MetricsCatalogue;
import io.renderrelay.worker.preflight.InputChecker;
import io.renderrelay.worker.preflight.Preflight;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.retry.Backoff;
import io.renderrelay.worker.spend.SpendGuard;
import io.renderrelay.worker.tracing.TracedRouter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job code's wiring: the job stages, each built with what it needs, and the router the pipeline
 * hands each record to, traced.
 *
 * @param records how the job's records (ledger, events, commands, tickets) are made
 * @param tokens the callback tokens (checked again by the callback listener)
 * @param router the pipeline's entry into the job code
 */
record JobAssembly(JobRecords records, CallbackTokens tokens, RecordRouter router) {

  private static final Logger log = LoggerFactory.getLogger(JobAssembly.class);

  /** The broker's default group session timeout (group.consumer.session.timeout.ms). */
  private static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

  /**
   * @param running false once the worker is stopping: no new paid submit starts
   */
  static JobAssembly build(
      Core core,
      KafkaAssembly kafka,
      ProviderAssembly provider,
      StorageAssembly storage,
      LedgerAssembly ledger,
      SpendGuard spend,
      ReleasedSchemas releases,
      BooleanSupplier running) {
    WorkerConfig config = core.config();
    Topics topics = core.topics();
    Clock clock = kafka.clock();
    SerdeFactory serde = kafka.serde();
    RenderTimes times = renderTimes(core, kafka);
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
                kafka.schedule(),
                times,
                true, // every submit carries a callback URL; whether they arrive is learned
                config.pollPlan().maxWait()),
            ledger.codec(),
            InternalCodec.tickets(releases, config.ledger().writeSchemaVersion()),
            serde.eventSerializer(),
            serde.commandSerializer());
    CallbackTokens tokens =
        new CallbackTokens(config.instance().callbackSecret(), config.provider().callbackBaseUrl());
    CommandValidator validator = new CommandValidator(validationRules(config), clock);
    Set<String> commandTopics = core.commandTopics();
    var layout = storage.layout();
    var callbackProducer = kafka.callbackProducer();

    // the job stages, each given what it needs: intake -> submit -> poll -> complete
    LedgerReader ledgerReader = ledger.store()::get;
    JobRules rules =
        new JobRules(
            config.jobs().defaultDeadline(),
            config.jobs().ambiguousPolicy(),
            config.provider().maxResubmits(),
            config.provider().taskNotFoundGrace(),
            config.instance().submitRetryDelay(),
            config.jobs().unresolvedSubmitWait());
    EventFactory events = new EventFactory();
    DeadLetters deadLetters = new DeadLetters(topics.deadLetter(), clock);
    JobListener listener = core.bridge();
    Transitions transitions =
        new Transitions(ledgerReader, records, events, deadLetters, spend, listener, clock);
    DeadLettering deadLettering = new DeadLettering(deadLetters, listener);
    SubmitSteps submits =
        new SubmitSteps(
            provider.client(),
            tokens,
            SubmitAdmission.of(provider.runtime(), permitLifetime(config)),
            spend,
            records,
            transitions,
            ledgerReader,
            rules,
            running,
            r ->
                callbackProducer.send(
                    r,
                    (m, e) -> {
                      if (e != null) {
                        log.warn("a submit word could not be sent: {}", e.toString());
                      }
                    }),
            listener,
            clock);
    CompleteSteps complete =
        new CompleteSteps(
            storage.copier(),
            (job, kind) ->
                layout.key(
                    job.getJobType(), Jobs.outputPrefix(job).orElse(null), job.getJobId(), kind),
            records,
            events,
            transitions,
            listener,
            clock);
    PollSteps polls =
        new PollSteps(
            provider.client(), records, transitions, complete, submits::intent, rules, clock);
    Intake intake =
        new Intake(
            new Ownership(kafka.partitions()),
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
            preflight(core), // issue 14: input check before intent
            submits,
            running,
            listener,
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
            listener,
            clock);
    core.resources()
        .scheduler("submit-sweep")
        .scheduleWithFixedDelay(jobs::sweepAbandonedSubmits, 1, 1, TimeUnit.SECONDS);
    RecordRouter router =
        new TracedRouter( // issue 17: a span per step, the trace context in every record
            jobs, core.tracing().tracer(), commandTopics, topics.events(), topics.deadLetter());
    return new JobAssembly(records, tokens, router);
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
   * The render times the poll plan learns from: when poll.learned.min-samples is above 0, the
   * fleet's (every replica's RenderCompleted events, read by this replica's own {@link
   * FleetRenderTimes}), so a fresh replica plans from what the fleet saw; else the prior alone.
   */
  private static RenderTimes renderTimes(Core core, KafkaAssembly kafka) {
    WorkerConfig.PollPlanSettings s = core.config().pollPlan();
    boolean learn = s.minSamples() > 0;
    RenderTimes times = new RenderTimes(s.minSamples(), s.priors(), learn);
    for (JobType type : JobType.values()) {
      if (type == JobType.UNKNOWN) {
        continue; // the schema's default symbol, never a job's type: not a tag value
      }
      core.metrics()
          .bindGauge(
              MetricsCatalogue.POLL_LEARNED_RENDERS,
              type.name().toLowerCase(Locale.ROOT),
              times,
              t -> t.samples(type));
    }
    if (learn) {
      core.own(
          new FleetRenderTimes(
                  () -> core.kafka().assignedConsumer("render-times"),
                  core.topics().events(),
                  new ConfluentAvroDeserializer<>(kafka.serde().registry(), true),
                  times,
                  kafka.clock(),
                  Duration.ofSeconds(1))
              .start());
    }
    return times;
  }

  /** The input pre-flight check (issue 14) when preflight.enabled, over its own downloader. */
  private static Optional<Preflight> preflight(Core core) {
    WorkerConfig config = core.config();
    WorkerConfig.PreflightSettings s = config.preflight();
    if (!s.enabled()) {
      return Optional.empty();
    }
    boolean insecure = config.jobs().devMode() && !config.jobs().strictInputUrls();
    InputChecker checker = core.own(new InputChecker(InputChecker.downloader(s, insecure), s));
    log.info(
        "input pre-flight on: max input {} bytes, 16:9 tolerance {}, {} attempts",
        s.maxInputBytes(),
        s.ratioTolerance(),
        s.maxAttempts());
    return Optional.of(
        new Preflight(
            checker::check,
            Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(30), new SecureRandom()),
            s.maxAttempts(),
            core.metrics()::preflightCheck));
  }

  private static ValidationRules validationRules(WorkerConfig config) {
    boolean relaxed = config.jobs().devMode() && !config.jobs().strictInputUrls();
    ValidationRules base = relaxed ? ValidationRules.devMode() : ValidationRules.defaults();
    return base.toBuilder().maxPromptLength(config.jobs().maxPromptLength()).build();
  }
}
