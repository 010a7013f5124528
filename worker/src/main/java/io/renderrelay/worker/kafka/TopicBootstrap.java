package io.renderrelay.worker.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics and checks co-partitioning at startup: command topics, poll tiers and the
 * ledger must have one partition count, or the owner of a job's ticket would not own its ledger
 * entry. A mismatch stops the worker with a message that names every topic and count.
 */
public final class TopicBootstrap {

  private static final Logger log = LoggerFactory.getLogger(TopicBootstrap.class);

  /** A topic the worker needs; {@code coPartitioned} ones must share the partition count. */
  public record TopicSpec(String name, boolean coPartitioned, Map<String, String> configs) {}

  private static final int UNKNOWN_TOPIC_ATTEMPTS = 50;
  private static final Duration UNKNOWN_TOPIC_PAUSE = Duration.ofMillis(100);

  private final Admin admin;
  private final int partitions;
  private final short replicationFactor;
  private final Duration timeout;

  public TopicBootstrap(Admin admin, int partitions, short replicationFactor, Duration timeout) {
    this.admin = admin;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
  }

  /** Ensures every topic exists; returns the co-partitioned partition count. */
  public int ensure(Collection<TopicSpec> specs) {
    try {
      Set<String> existing =
          admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing = new ArrayList<>();
      for (TopicSpec s : specs) {
        if (!existing.contains(s.name())) {
          missing.add(new NewTopic(s.name(), partitions, replicationFactor).configs(s.configs()));
        }
      }
      create(missing);
      return checkCoPartitioning(specs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot list or create topics: " + e.getMessage(), e);
    }
  }

  private void create(List<NewTopic> missing)
      throws InterruptedException, TimeoutException, ExecutionException {
    if (missing.isEmpty()) {
      return;
    }
    for (var entry : admin.createTopics(missing).values().entrySet()) {
      try {
        entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        log.info("created topic {} partitions={}", entry.getKey(), partitions);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  private int checkCoPartitioning(Collection<TopicSpec> specs)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<String> names =
        specs.stream().filter(TopicSpec::coPartitioned).map(TopicSpec::name).toList();
    // Topics just created may not be in the broker's metadata yet: describe answers
    // UnknownTopicOrPartition for a moment after CreateTopics returned.
    Map<String, TopicDescription> described =
        whileUnknown(
            () ->
                admin
                    .describeTopics(names)
                    .allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS),
            UNKNOWN_TOPIC_ATTEMPTS,
            UNKNOWN_TOPIC_PAUSE);
    Map<String, Integer> counts = new HashMap<>();
    described.forEach((n, d) -> counts.put(n, d.partitions().size()));
    if (counts.values().stream().distinct().count() > 1) {
      throw new IllegalStateException(
          "command topics, poll tiers and the ledger must have the same partition count so that one"
              + " worker owns each job; found "
              + counts
              + ". Repartition the odd ones out (or point the worker at matching topics).");
    }
    return counts.values().stream().findFirst().orElse(partitions);
  }

  /** A call to the admin client. */
  @FunctionalInterface
  interface AdminCall<T> {
    T call() throws InterruptedException, ExecutionException, TimeoutException;
  }

  /**
   * Runs {@code call}, again after {@code pause} while it fails with {@link
   * UnknownTopicOrPartitionException}, at most {@code attempts} times; other failures at once.
   */
  static <T> T whileUnknown(AdminCall<T> call, int attempts, Duration pause)
      throws InterruptedException, ExecutionException, TimeoutException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt >= attempts) {
          throw e;
        }
        log.debug(
            "topic metadata not there yet (attempt {}): {}", attempt, e.getCause().getMessage());
        Thread.sleep(pause.toMillis());
      }
    }
  }
}
