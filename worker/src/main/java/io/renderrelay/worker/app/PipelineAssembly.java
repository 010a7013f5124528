package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.RateLimitScope;
import io.renderrelay.worker.engine.KeyedDispatcher;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.engine.PipelineListeners;
import io.renderrelay.worker.engine.PipelineLoop;
import io.renderrelay.worker.engine.PipelineRuntime;
import io.renderrelay.worker.engine.PipelineSettings;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.instance.FencingWatch;
import io.renderrelay.worker.provider.ProviderRuntime;
import io.renderrelay.worker.provider.SubmissionGate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The pipeline: its settings, what observes it (metrics, consumer lag, the partition-share of the
 * provider rates, the local ledger, the job lookup, the fencing watch), and the runtime that runs
 * one {@link PipelineLoop} at a time and restarts it when it dies.
 */
final class PipelineAssembly {

  private PipelineAssembly() {}

  /**
   * @param observers further listeners of the engine (the job lookup, a test's observer)
   * @param onDuplicate called when the fencing watch finds another replica with this instance id
   */
  static PipelineRuntime build(
      Core core,
      KafkaAssembly kafka,
      LedgerAssembly ledger,
      RecordRouter router,
      ProviderRuntime provider,
      List<PipelineListener> observers,
      Consumer<String> onDuplicate) {
    WorkerConfig config = core.config();
    Clock local = core.local();
    PipelineSettings settings =
        PipelineSettings.forTopics(core.commandTopics(), kafka.schedule().topics())
            .withCommitInterval(config.kafka().commitInterval())
            .withMaxInFlight(
                config.kafka().maxInFlightPerPartition() * config.instance().partitions())
            .withDrainGrace(config.shutdownGrace());
    PipelineListener listener =
        PipelineListeners.of(
            core.bridge(),
            new ConsumerLag(core.metrics(), core.topics()),
            config.instance().rateLimitScope() == RateLimitScope.PARTITION_SHARE
                ? new RateShare(
                    List.of(provider.submitLimiter(), provider.pollLimiter()), kafka.partitions())
                : PipelineListener.NONE,
            ledger.store(),
            PipelineListeners.of(observers.toArray(PipelineListener[]::new)),
            new FencingWatch(local, 3, Duration.ofMinutes(10), onDuplicate));
    BooleanSupplier intakeOpen = intakeOpen(provider.gate(), ledger, config, local);
    return new PipelineRuntime(
        () ->
            new PipelineLoop(
                core.binders().consumer(core.kafka().pipelineConsumer()), // issue 17: metrics
                core.binders().producer(core.kafka().transactionalProducer()),
                router,
                ledger.localLedger(),
                new KeyedDispatcher(),
                settings,
                intakeOpen,
                listener,
                kafka.clock()),
        Duration.ofSeconds(2));
  }

  /**
   * Whether command intake runs: while submissions are stopped, intake resumes when a probe is due
   * (otherwise a gate closed by a poll, a bad key, with no command in flight never reopens); the
   * task cap counts the committed POLLING jobs of the partitions owned now.
   */
  private static BooleanSupplier intakeOpen(
      SubmissionGate gate, LedgerAssembly ledger, WorkerConfig config, Clock local) {
    int maxTasks = config.provider().maxTasksInFlight();
    return () ->
        (gate.isOpen() || gate.probeDue(local.instant())) && ledger.store().count() < maxTasks;
  }
}
