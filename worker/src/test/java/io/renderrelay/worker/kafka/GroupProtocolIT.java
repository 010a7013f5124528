package io.renderrelay.worker.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.KafkaSettings;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The pipeline consumer's group protocol against a real KRaft broker (Kafka 4.3): the consumer
 * protocol with the server-side range assignor keeps every partition number of all subscribed
 * topics on one member through scale-out and scale-in, and revokes only the partitions that move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupProtocolIT {

  private static final List<String> TOPICS = List.of("cmd", "poll.a", "poll.b");
  private static final int PARTITIONS = 6;
  private static final String GROUP = "rr-group-it";

  private KafkaClusterTestKit cluster;
  private final List<Member> members = new ArrayList<>();

  @BeforeAll
  void startBroker() throws Exception {
    cluster =
        TestBroker.start(
            Map.of(
                "group.consumer.min.session.timeout.ms", "2000",
                "group.consumer.min.heartbeat.interval.ms", "500"));
    try (Admin admin = admin()) {
      List<NewTopic> topics = new ArrayList<>();
      TOPICS.forEach(t -> topics.add(new NewTopic(t, PARTITIONS, (short) 1)));
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() throws Exception {
    members.forEach(m -> m.consumer.close(Duration.ofSeconds(5)));
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void partitionNumbersStayTogetherAndOnlyMovedPartitionsAreRevoked() throws Exception {
    Map<String, String> overrides =
        Map.of("session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
    try (Admin admin = admin()) {
      GroupSettings.apply(admin, GROUP, overrides);
      // group configs live in the cluster metadata: the broker sees them a moment later
      long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      String seen = "";
      while (!seen.equals("6000") && System.nanoTime() < end) {
        seen = groupConfig(admin).get("consumer.session.timeout.ms").value();
        Thread.sleep(200);
      }
      assertThat(seen).isEqualTo("6000");
    }
    KafkaClientFactory factory = new KafkaClientFactory(settings(overrides), "it");
    for (int i = 0; i < 3; i++) {
      members.add(new Member(factory.pipelineConsumer()));
      awaitStable();
      assertCoPartitionedAndIncremental();
    }
    Member leaving = members.remove(1);
    leaving.consumer.close(Duration.ofSeconds(5));
    awaitStable();
    assertCoPartitionedAndIncremental();
  }

  private void assertCoPartitionedAndIncremental() {
    for (Member m : members) {
      Set<Integer> numbers = m.numbers("cmd");
      assertThat(numbers).isNotEmpty();
      for (String t : TOPICS) {
        assertThat(m.numbers(t)).as("partitions of %s on one member", t).isEqualTo(numbers);
      }
      for (TopicPartition revoked : m.revoked) {
        assertThat(m.consumer.assignment()).doesNotContain(revoked);
      }
      System.out.printf(
          "member with %s revoked %d partitions%n", m.numbers("cmd"), m.revoked.size());
      m.revoked.clear();
    }
  }

  /**
   * Polls every member until the coordinator calls the group STABLE (every member at the target
   * assignment of the current epoch) and each member's own assignment is what the coordinator holds
   * for it (its callbacks ran): the group has settled, no quiet period guessed.
   */
  private void awaitStable() throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    String last = "";
    try (Admin admin = admin()) {
      while (System.nanoTime() < end) {
        for (Member m : members) {
          m.consumer.poll(Duration.ofMillis(50));
        }
        last = snapshot();
        if (complete() && settled(admin)) {
          return;
        }
      }
    }
    throw new AssertionError("group never settled: " + last);
  }

  private boolean settled(Admin admin) throws Exception {
    ConsumerGroupDescription group =
        admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP);
    if (group.groupState() != GroupState.STABLE || group.members().size() != members.size()) {
      return false;
    }
    Map<String, Set<TopicPartition>> held = new HashMap<>();
    for (MemberDescription d : group.members()) {
      Set<TopicPartition> current = d.assignment().topicPartitions();
      boolean atTarget =
          d.targetAssignment().map(t -> t.topicPartitions().equals(current)).orElse(false)
              && d.memberEpoch().equals(group.targetAssignmentEpoch());
      if (!atTarget) {
        return false;
      }
      held.put(d.consumerId(), current);
    }
    for (Member m : members) {
      if (!m.consumer.assignment().equals(held.get(m.consumer.groupMetadata().memberId()))) {
        return false;
      }
    }
    return true;
  }

  private boolean complete() {
    Set<TopicPartition> all = new HashSet<>();
    int total = 0;
    for (Member m : members) {
      all.addAll(m.consumer.assignment());
      total += m.consumer.assignment().size();
    }
    return all.size() == TOPICS.size() * PARTITIONS && total == all.size();
  }

  private String snapshot() {
    StringBuilder b = new StringBuilder();
    members.forEach(
        m ->
            b.append(
                new TreeSet<>(m.consumer.assignment().stream().map(String::valueOf).toList())));
    return b.toString();
  }

  private static Config groupConfig(Admin admin) throws Exception {
    return admin
        .describeConfigs(List.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP)))
        .all()
        .get(30, TimeUnit.SECONDS)
        .values()
        .iterator()
        .next();
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
  }

  private KafkaSettings settings(Map<String, String> overrides) {
    return new KafkaSettings(
        cluster.bootstrapServers(),
        overrides,
        GROUP,
        "rr-tx",
        new Topics("cmd", "cmd2", "events", "dlt", "jobs", "poll.now"),
        List.of(),
        Duration.ofMillis(100),
        10);
  }

  /** One member of the group, remembering what it was asked to give up. */
  private static final class Member implements ConsumerRebalanceListener {
    final Consumer<byte[], byte[]> consumer;
    final Set<TopicPartition> revoked = new HashSet<>();

    Member(Consumer<byte[], byte[]> consumer) {
      this.consumer = consumer;
      consumer.subscribe(TOPICS, this);
    }

    Set<Integer> numbers(String topic) {
      Set<Integer> out = new TreeSet<>();
      consumer.assignment().stream()
          .filter(tp -> tp.topic().equals(topic))
          .forEach(tp -> out.add(tp.partition()));
      return out;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      revoked.addAll(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
  }
}
