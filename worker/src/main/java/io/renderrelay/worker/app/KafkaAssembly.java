package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.kafka.GroupSettings;
import io.renderrelay.worker.ledger.LedgerContinuity;
import io.renderrelay.worker.timeline.BrokerClockProbe;
import io.renderrelay.worker.timeline.FleetClock;
import io.renderrelay.worker.timeline.OffsetEstimator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;

/**
 * The worker's side of the cluster, set up before anything takes work: its topics, the ledger
 * topic's continuity, the fleet clock, the consumer group's settings and the released schemas.
 *
 * @param schedule the poll tiers and the "poll now" topic
 * @param partitions partition count of the command and ledger topics
 * @param clock the fleet's timeline: this machine's clock corrected to the broker's (design
 *     invariant 9)
 * @param callbackProducer a plain producer (callback tickets, submit words, clock probes)
 * @param serde the registry-backed serializers
 */
record KafkaAssembly(
    PollSchedule schedule,
    int partitions,
    Clock clock,
    Producer<byte[], byte[]> callbackProducer,
    SerdeFactory serde) {

  static KafkaAssembly build(Core core) {
    WorkerConfig config = core.config();
    Topics topics = core.topics();
    Admin admin = core.admin();
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
        core.commandTopics(),
        Duration.ofSeconds(30));
    // `local` stays for local durations
    OffsetEstimator estimator = new OffsetEstimator(Duration.ofMinutes(10));
    Clock clock = new FleetClock(core.local(), estimator);
    Producer<byte[], byte[]> callbackProducer = core.own(core.kafka().plainProducer("callbacks"));
    calibrate(
        core,
        new BrokerClockProbe(
            callbackProducer,
            topics.jobs(),
            core.instanceId(),
            core.local(),
            estimator,
            core.metrics()::clockOffset,
            Duration.ofSeconds(5)));
    GroupSettings.apply(admin, config.kafka().groupId(), config.kafka().clientOverrides());
    SerdeFactory serde =
        core.own(new SerdeFactory(config.registry(), config.instance().autoRegisterSchemas()));
    SchemaSubjects.ensure(serde.registry(), topics, config.instance().autoRegisterSchemas());
    return new KafkaAssembly(schedule, partitions, clock, callbackProducer, serde);
  }

  /**
   * Learns the broker's clock before the pipeline takes work, then every 30 s; with a CreateTime
   * ledger topic it warns and the worker keeps its own clock.
   */
  private static void calibrate(Core core, BrokerClockProbe probe) {
    if (!BrokerClockProbe.brokerStamps(
        core.admin(), core.topics().jobs(), Duration.ofSeconds(10))) {
      return;
    }
    probe.calibrate(5);
    probe.start(core.resources().scheduler("clock-probe"), Duration.ofSeconds(30));
  }
}
