package io.renderrelay.worker.ledger;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;

/**
 * How the {@code render.jobs} topic is created. Compaction never touches the active segment, and
 * Kafka rolls a segment only after {@code segment.ms} (7 days by default), so without these
 * settings neither superseded entries nor the worker's tombstones would ever be compacted away.
 */
public final class LedgerTopic {

  /**
   * Topic configs: roll the active segment hourly, compact any entry at most a day after it was
   * written, and keep tombstones a day so a restore that started before one was written still sees
   * it (a restore takes seconds to minutes). The broker stamps every record with its own clock
   * (LogAppendTime): the workers learn the fleet's one timeline from it (see {@code
   * timeline.BrokerClockProbe}).
   */
  public static final Map<String, String> CONFIGS =
      Map.of(
          "cleanup.policy", "compact",
          "segment.ms", "3600000",
          "min.compaction.lag.ms", "0",
          "max.compaction.lag.ms", "86400000",
          "delete.retention.ms", "86400000",
          "min.cleanable.dirty.ratio", "0.1",
          "message.timestamp.type", "LogAppendTime");

  private LedgerTopic() {}

  /** The topic's id (Kafka's topic UUID), which tells a recreated topic from the old one. */
  public static String id(Admin admin, String topic) {
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic)
          .topicId()
          .toString();
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot describe the ledger topic " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing " + topic, e);
    }
  }
}
