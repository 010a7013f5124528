package io.renderrelay.worker.ledger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Refuses a ledger topic that cannot be the fleet's: empty (its end offsets all 0, which compaction
 * never lowers) while the worker group has already consumed commands, each of which left a ledger
 * entry. That is a renamed {@code topics.jobs} or a deleted and recreated topic; running on it
 * would forget every job: a re-published command of a paid job paid again, the poll tickets of
 * running jobs dropped as stale.
 */
public final class LedgerContinuity {

  /** The ledger topic does not hold the group's history. */
  public static final class ForeignLedgerException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ForeignLedgerException(String message) {
      super(message);
    }
  }

  private LedgerContinuity() {}

  /**
   * @param partitions the ledger topic's partition count
   * @throws ForeignLedgerException when the ledger is empty and the group has consumed commands
   */
  public static void check(
      Admin admin,
      String group,
      String ledgerTopic,
      int partitions,
      Collection<String> commandTopics,
      Duration timeout) {
    try {
      Map<TopicPartition, OffsetSpec> latest =
          java.util.stream.IntStream.range(0, partitions)
              .boxed()
              .collect(
                  Collectors.toMap(
                      p -> new TopicPartition(ledgerTopic, p), p -> OffsetSpec.latest()));
      long written =
          admin
              .listOffsets(latest)
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .values()
              .stream()
              .mapToLong(r -> r.offset())
              .sum();
      if (written > 0) {
        return;
      }
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      long consumed =
          committed.entrySet().stream()
              .filter(e -> commandTopics.contains(e.getKey().topic()) && e.getValue() != null)
              .mapToLong(e -> e.getValue().offset())
              .sum();
      if (consumed > 0) {
        throw new ForeignLedgerException(
            "the ledger topic "
                + ledgerTopic
                + " (topics.jobs) is empty while group "
                + group
                + " has consumed "
                + consumed
                + " commands of "
                + List.copyOf(commandTopics)
                + ": a renamed or recreated ledger would forget every job (paid jobs paid again,"
                + " running ones stranded). Set topics.jobs back to the topic that holds the"
                + " ledger; to start over on purpose, reset the group's offsets first"
                + " (docs/operations.md)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted checking the ledger topic " + ledgerTopic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot check the ledger topic " + ledgerTopic + ": " + e.getMessage(), e);
    }
  }
}
