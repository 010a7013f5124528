package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig.InstanceSettings;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.kafka.TopicBootstrap;
import io.renderrelay.worker.kafka.TopicBootstrap.TopicSpec;
import io.renderrelay.worker.ledger.LedgerTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/** The worker's topics: which it needs, how they are configured, which are co-partitioned. */
final class TopicSetup {

  private final Admin admin;
  private final InstanceSettings instance;

  TopicSetup(Admin admin, InstanceSettings instance) {
    this.admin = admin;
    this.instance = instance;
  }

  int ensure(Topics topics, PollSchedule schedule) {
    return new TopicBootstrap(
            admin, instance.partitions(), instance.replicationFactor(), Duration.ofSeconds(30))
        .ensure(specs(topics, schedule));
  }

  /**
   * The spend journal (issue 14): not co-partitioned, written and read on partition 0 only, kept
   * two months (caps look back to the start of the previous month).
   */
  void ensureSpend(String topic) {
    new TopicBootstrap(
            admin, instance.partitions(), instance.replicationFactor(), Duration.ofSeconds(30))
        .ensure(List.of(new TopicSpec(topic, false, SPEND_CONFIGS)));
  }

  static final Map<String, String> SPEND_CONFIGS =
      Map.of(
          "cleanup.policy",
          "delete",
          "retention.ms",
          Long.toString(Duration.ofDays(70).toMillis()));

  static List<TopicSpec> specs(Topics topics, PollSchedule schedule) {
    List<TopicSpec> specs = new ArrayList<>();
    specs.add(new TopicSpec(topics.restyleCommands(), true, Map.of()));
    specs.add(new TopicSpec(topics.actOneCommands(), true, Map.of()));
    schedule.topics().keySet().forEach(t -> specs.add(new TopicSpec(t, true, Map.of())));
    specs.add(new TopicSpec(topics.jobs(), true, LedgerTopic.CONFIGS));
    specs.add(new TopicSpec(topics.events(), false, Map.of()));
    specs.add(new TopicSpec(topics.deadLetter(), false, Map.of()));
    specs.add(new TopicSpec(topics.replicas(), false, Map.of("cleanup.policy", "compact")));
    return specs;
  }
}
