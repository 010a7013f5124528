package io.renderrelay.worker.lookup;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
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
    Optional<String> client = clientOf(partition);
    if (client.isEmpty()) {
      return Optional.empty();
    }
    return urlOf(client.get(), directory.replicas().values());
  }

  /** The URL of the one advertised replica with this client id; empty when none or several. */
  static Optional<URI> urlOf(String clientId, Collection<ReplicaDirectory.Replica> replicas) {
    List<URI> urls =
        replicas.stream().filter(r -> r.clientId().equals(clientId)).map(r -> r.url()).toList();
    return urls.size() == 1 ? Optional.of(urls.getFirst()) : Optional.empty();
  }

  private Optional<String> clientOf(int partition) {
    TopicPartition tp = new TopicPartition(probeTopic, partition);
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
    if (group == null) {
      return Optional.empty();
    }
    return group.members().stream()
        .filter(m -> m.assignment().topicPartitions().contains(tp))
        .map(MemberDescription::clientId)
        .findFirst();
  }
}
