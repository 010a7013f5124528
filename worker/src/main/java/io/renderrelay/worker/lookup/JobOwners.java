package io.renderrelay.worker.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Which replica owns a partition now, and where it listens: the group coordinator's current
 * assignment (Admin {@code describeConsumerGroups}) names the member holding the partition of a
 * co-partitioned topic, and the {@link ReplicaDirectory} maps that member's client id to its
 * management URL. With {@code group.protocol=consumer} members carry no user data (Kafka Streams'
 * {@code application.server} rides on the classic protocol's), hence the directory.
 */
public final class JobOwners implements JobLookup.Owners {

  private final Admin admin;
  private final String groupId;
  private final String probeTopic;
  private final ReplicaDirectory directory;
  private final Duration timeout;

  /**
   * @param probeTopic a topic the group subscribes to that shares the ledger's partitioning
   */
  public JobOwners(
      Admin admin,
      String groupId,
      String probeTopic,
      ReplicaDirectory directory,
      Duration timeout) {
    this.admin = admin;
    this.groupId = groupId;
    this.probeTopic = probeTopic;
    this.directory = directory;
    this.timeout = timeout;
  }

  @Override
  public Optional<URI> ownerOf(int partition) {
    return Optional.ofNullable(view().get(partition));
  }

  /**
   * Every partition's owner URL as the group's current assignment and the directory say: one
   * describe of the group and one read of the directory (partitions without a known owner absent).
   */
  public Map<Integer, URI> view() {
    Collection<MemberDescription> members = describe();
    return members.isEmpty() ? Map.of() : view(members, probeTopic, directory.replicas().values());
  }

  /**
   * The owners' URLs: each member's partitions of {@code probeTopic} mapped to the one directory
   * entry with its client id. Entries of replicas that left without a tombstone match no member's
   * client id, so they are never used, however many there are.
   */
  static Map<Integer, URI> view(
      Collection<MemberDescription> members,
      String probeTopic,
      Collection<ReplicaDirectory.Replica> replicas) {
    Map<Integer, URI> out = new HashMap<>();
    for (MemberDescription m : members) {
      Optional<URI> url = urlOf(m.clientId(), replicas);
      for (TopicPartition tp : m.assignment().topicPartitions()) {
        if (tp.topic().equals(probeTopic)) {
          url.ifPresent(u -> out.put(tp.partition(), u));
        }
      }
    }
    return out;
  }

  /** The URL of the one advertised replica with this client id; empty when none or several. */
  static Optional<URI> urlOf(String clientId, Collection<ReplicaDirectory.Replica> replicas) {
    List<URI> urls =
        replicas.stream().filter(r -> r.clientId().equals(clientId)).map(r -> r.url()).toList();
    return urls.size() == 1 ? Optional.of(urls.getFirst()) : Optional.empty();
  }

  private Collection<MemberDescription> describe() {
    ConsumerGroupDescription group;
    try {
      Map<String, ConsumerGroupDescription> groups =
          admin
              .describeConsumerGroups(List.of(groupId))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      group = groups.get(groupId);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing group " + groupId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("group " + groupId + " not described", e);
    }
    return group == null ? List.of() : group.members();
  }
}
