package io.renderrelay.e2e.bench;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waits for the worker to have taken in every published command, and reads its group's lag. */
public final class Intake {

  private static final Duration STABLE = Duration.ofSeconds(2);

  private Intake() {}

  /**
   * Waits until the command topics are fully committed by the worker's group and the simulator's
   * submit count has not moved for 2 s (every command submitted, or ended without a task); returns
   * the submit count.
   */
  public static long awaitAllTakenIn(
      DevStack stack, TopicRecords topics, WorkerConfig config, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    WorkerConfig.Topics t = config.kafka().topics();
    long last = -1;
    long stableSince = System.nanoTime();
    while (true) {
      long submitted = stack.simulator().control().submits();
      if (submitted != last) {
        last = submitted;
        stableSince = System.nanoTime();
      }
      boolean quiet = System.nanoTime() - stableSince >= STABLE.toNanos();
      if (quiet
          && lag(topics, config, t.restyleCommands()) + lag(topics, config, t.actOneCommands())
              == 0) {
        return submitted;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the worker did not take in every command within "
                + timeout
                + " ("
                + submitted
                + " submitted; uncommitted command records per partition: "
                + lagByPartition(topics, config, List.of(t.restyleCommands(), t.actOneCommands()))
                + ")");
      }
      Thread.sleep(250);
    }
  }

  /** Records of {@code topic} not yet committed by the worker's group (markers included). */
  public static long lag(TopicRecords topics, WorkerConfig config, String topic) throws Exception {
    return lagByPartition(topics, config, List.of(topic)).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  /** Per partition of {@code topicList}: end offset minus the group's committed offset. */
  static Map<TopicPartition, Long> lagByPartition(
      TopicRecords topics, WorkerConfig config, List<String> topicList) throws Exception {
    Map<TopicPartition, Long> ends = topics.endOffsets(topicList);
    Map<TopicPartition, OffsetAndMetadata> committed =
        topics
            .admin()
            .listConsumerGroupOffsets(config.kafka().groupId())
            .partitionsToOffsetAndMetadata()
            .get();
    Map<TopicPartition, Long> lag =
        new java.util.TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
    for (var e : ends.entrySet()) {
      OffsetAndMetadata c = committed.get(e.getKey());
      lag.put(e.getKey(), e.getValue() - (c == null ? 0 : c.offset()));
    }
    return lag;
  }
}
