package io.renderrelay.e2e.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the consumer group's assignment from the broker (Admin {@code describeConsumerGroups}), so
 * a scenario can tell how many partitions a rebalance moved from one worker to another.
 */
final class AssignmentWatch {

  /** The group's assignment: owner (consumer client id) of each topic partition. */
  public record Snapshot(Map<TopicPartition, String> owners) {

    /** The client ids that own at least one partition. */
    public Set<String> members() {
      return new HashSet<>(owners.values());
    }

    /** Partitions whose owner in {@code after} differs from the one here (or that had none). */
    public int movedTo(Snapshot after) {
      int moved = 0;
      for (Map.Entry<TopicPartition, String> e : after.owners.entrySet()) {
        if (!Objects.equals(owners.get(e.getKey()), e.getValue())) {
          moved++;
        }
      }
      return moved;
    }
  }

  private final Admin admin;
  private final String groupId;

  public AssignmentWatch(Admin admin, String groupId) {
    this.admin = admin;
    this.groupId = groupId;
  }

  /** The client id of a worker's pipeline consumer. */
  public static String clientIdOf(String instanceId) {
    return "rr-pipeline-" + instanceId;
  }

  /**
   * Waits until the group is stable with exactly the pipeline consumers of {@code instanceIds},
   * each owning at least one partition, and returns that assignment; throws when it does not happen
   * within {@code timeout}.
   */
  public Snapshot awaitStable(Set<String> instanceIds, Duration timeout)
      throws InterruptedException {
    Set<String> expected = new HashSet<>();
    instanceIds.forEach(i -> expected.add(clientIdOf(i)));
    long deadline = System.nanoTime() + timeout.toNanos();
    Snapshot last = new Snapshot(Map.of());
    while (System.nanoTime() < deadline) {
      try {
        ConsumerGroupDescription d = describe();
        last = snapshotOf(d);
        Set<String> members = new HashSet<>();
        d.members().forEach(m -> members.add(m.clientId()));
        if (d.groupState() == GroupState.STABLE
            && members.equals(expected)
            && last.members().equals(expected)) {
          return last;
        }
      } catch (ExecutionException | TimeoutException e) {
        // the broker may be busy: try again until the timeout
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the group did not settle on " + expected + " within " + timeout + "; last: " + last);
  }

  /** The group's assignment now, whatever its state. */
  public Snapshot current() throws InterruptedException, ExecutionException, TimeoutException {
    return snapshotOf(describe());
  }

  private ConsumerGroupDescription describe()
      throws InterruptedException, ExecutionException, TimeoutException {
    return admin
        .describeConsumerGroups(List.of(groupId))
        .all()
        .get(5, TimeUnit.SECONDS)
        .get(groupId);
  }

  private static Snapshot snapshotOf(ConsumerGroupDescription d) {
    Map<TopicPartition, String> owners = new HashMap<>();
    for (MemberDescription m : d.members()) {
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        owners.put(tp, m.clientId());
      }
    }
    return new Snapshot(Map.copyOf(owners));
  }
}
