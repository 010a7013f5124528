package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig.InstanceSettings;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.kafka.TopicBootstrap;
import io.renderrelay.worker.kafka.TopicBootstrap.TopicSpec;
import io.renderrelay.worker.ledger.LedgerTopic;
import io.renderrelay.worker.spend.SpendTopicCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;

/** The worker's topics: which it needs, how they are configured, which are co-partitioned. */
final class TopicSetup {

  private final Admin admin;
  private final InstanceSettings instance;

  TopicSetup(Admin admin, InstanceSettings instance) {
    this.admin = admin;
    this.instance = instance;
  }

  int ensure(Topics topics, PollSchedule schedule) {
    return bootstrap().ensure(specs(topics, schedule));
  }

  /**
   * The spend journal (issue 14): not co-partitioned, written and read on partition 0 only, kept
   * two months (caps look back to the start of the previous month).
   */
  void ensureSpend(String topic) {
    // a topic this worker creates has the settings above; one that existed is checked
    if (exists(topic)) {
      List<String> problems = SpendTopicCheck.problems(topic, effectiveConfigs(topic));
      if (!problems.isEmpty()) {
        throw new IllegalStateException(
            "the spend journal cannot be trusted: " + String.join("; ", problems));
      }
    }
    bootstrap().ensure(List.of(new TopicSpec(topic, false, SPEND_CONFIGS)));
  }

  private TopicBootstrap bootstrap() {
    return new TopicBootstrap(
        admin, instance.partitions(), instance.replicationFactor(), Duration.ofSeconds(30));
  }

  private boolean exists(String topic) {
    try {
      return admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list topics: " + e, e);
    }
  }

  private Map<String, String> effectiveConfigs(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config =
          admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
      Map<String, String> out = new HashMap<>();
      config.entries().forEach(e -> out.put(e.name(), e.value()));
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading " + topic + "'s settings", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot read " + topic + "'s settings: " + e, e);
    }
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
