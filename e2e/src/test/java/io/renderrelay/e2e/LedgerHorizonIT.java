package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.app.RenderRelayWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dedupe horizon through the real pipeline: an ended job is tombstoned on render.jobs (in a
 * committed transaction) once its horizon passed, and a command with its jobId after that runs as a
 * new job, as docs/reliability.md says.
 */
@Timeout(180)
class LedgerHorizonIT {

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static RenderRelayWorker worker;

  @BeforeAll
  static void start() throws Exception {
    worker =
        e2e.worker(
            e2e.settings("horizon-it")
                .with("ledger.dedupe-horizon", "3s")
                .with("ledger.expiry-interval", "1s"));
  }

  @Test
  void anEndedJobIsForgottenAfterTheHorizonAndItsJobIdRunsAgain() throws Exception {
    String job = "horizon-" + UUID.randomUUID();
    e2e.commands().send(Commands.restyle(job, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(job), Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(ledgerOf(job).getLast().value()).as("its final state").isNotNull();

    // tombstones ride on transactions that commit consumed offsets: keep some traffic going
    List<String> traffic = new ArrayList<>();
    Waits.until(
        "a committed tombstone of " + job + " on render.jobs",
        Duration.ofSeconds(90),
        () -> {
          String other = "traffic-" + UUID.randomUUID();
          traffic.add(other);
          try {
            e2e.commands().send(Commands.restyle(other, Instant.now()));
            Thread.sleep(1000);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          List<ConsumerRecord<byte[], byte[]>> entries = ledgerOf(job);
          return entries.getLast().value() == null;
        });
    Map<String, Integer> paidBefore = Map.copyOf(e2e.sim().paidSubmissions());
    assertThat(paidBefore).containsEntry(job, 1);

    e2e.commands().send(Commands.restyle(job, Instant.now()));

    Waits.until(
        "a second terminal event of the forgotten " + job,
        Duration.ofSeconds(60),
        () -> e2e.events().eventsOf(job).size() >= 2);
    assertThat(e2e.sim().paidSubmissions())
        .as("a command after the horizon is a new job, paid again")
        .containsEntry(job, 2);
    assertThat(e2e.events().awaitTerminal(traffic, Duration.ofSeconds(60)))
        .isEqualTo(traffic.size());
  }

  /** Every committed render.jobs record of the job, in offset order. */
  static List<ConsumerRecord<byte[], byte[]>> ledgerOf(String jobId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e2e.stack().kafka().bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor(e2e.topic("render.jobs"), Duration.ofSeconds(10)).stream()
              .map(pi -> new TopicPartition(e2e.topic("render.jobs"), pi.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(jobId)) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }
}
