package io.renderrelay.worker.app;

import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.LedgerCodec;
import io.renderrelay.worker.ledger.LedgerExpiry;
import io.renderrelay.worker.ledger.LedgerRestorer;
import io.renderrelay.worker.ledger.LedgerTopic;
import io.renderrelay.worker.ledger.LocalLedger;
import io.renderrelay.worker.ledger.RestoreProgress;
import io.renderrelay.worker.ledger.RocksDbLedgerStore;
import io.renderrelay.worker.ledger.RocksDbStatsBinder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The job ledger's local side: the codec, the RocksDB store of this replica's partitions, and a
 * {@link LocalLedger} (restore from the ledger topic, expiry) for each pipeline loop.
 *
 * @param store the committed jobs of the partitions owned now
 * @param restoreProgress which partitions are still being restored (issue 13)
 */
record LedgerAssembly(
    Core core,
    Clock clock,
    LedgerCodec codec,
    PollingJobs store,
    RestoreProgress restoreProgress,
    ScheduledExecutorService restores) {

  static LedgerAssembly build(Core core, Clock clock, ReleasedSchemas releases) {
    WorkerConfig config = core.config();
    LedgerCodec codec =
        new LedgerCodec(InternalCodec.jobStates(releases, config.ledger().writeSchemaVersion()));
    RocksDbLedgerStore rocks =
        core.own(
            new RocksDbLedgerStore(
                Path.of(config.instance().ledgerDir(), core.instanceId()), codec));
    RocksDbStatsBinder.bind(rocks, core.metrics()); // issue 17
    return new LedgerAssembly(
        core,
        clock,
        codec,
        new PollingJobs(rocks, codec),
        new RestoreProgress(Optional.of(core.metrics())), // issue 13
        core.resources().scheduler("ledger-restore"));
  }

  /** A new local ledger for a new pipeline loop (restored per assigned partition). */
  LocalLedger localLedger() {
    Topics topics = core.topics();
    WorkerConfig.LedgerSettings settings = core.config().ledger();
    return new LocalLedger(
        store,
        new LedgerRestorer(
            () -> core.kafka().bulkReader("ledger-restore"),
            topics.jobs(),
            () -> LedgerTopic.id(core.admin(), topics.jobs()),
            store,
            codec,
            core.local(),
            Duration.ofMinutes(2)),
        restores,
        Optional.of(
            new LedgerExpiry(
                store,
                topics.jobs(),
                new LedgerExpiry.Settings(
                    settings.dedupeHorizon(), settings.expiryInterval(), settings.expiryBatch()),
                clock)),
        restoreProgress);
  }
}
