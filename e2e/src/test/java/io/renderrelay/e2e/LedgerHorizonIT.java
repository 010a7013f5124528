package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dedupe horizon through the real pipeline: an ended job is tombstoned on render.jobs (in a
 * committed transaction) once its horizon passed, and a command with its jobId after that runs as a
 * new job, as docs/reliability.md says.
 */
@Timeout(180)
class LedgerHorizonIT {

  static DevStack stack;
  static RenderRelayWorker worker;
  static Commands commands;
  static EventCollector events;

  @BeforeAll
  static void start() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults()
                        .withRenderTimeOverride(Duration.ofSeconds(1))
                        .withTaskNotExistWindow(Duration.ofMillis(300))));
    worker =
        RenderRelayWorker.start(
            new WorkerSettings(stack, "horizon-it")
                .with("ledger.dedupe-horizon", "3s")
                .with("ledger.expiry-interval", "1s")
                .config(),
            Clock.systemUTC());
    commands = new Commands(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
    events =
        new EventCollector(stack.kafka().bootstrapServers(), stack.registryUrl().orElseThrow());
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(events, commands, worker, stack);
  }

  @Test
  void anEndedJobIsForgottenAfterTheHorizonAndItsJobIdRunsAgain() throws Exception {
    String job = "horizon-" + UUID.randomUUID();
    commands.send(Commands.restyle(job, Instant.now()));
    assertThat(events.awaitTerminal(List.of(job), Duration.ofSeconds(60))).isEqualTo(1);
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
            commands.send(Commands.restyle(other, Instant.now()));
            Thread.sleep(1000);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          List<ConsumerRecord<byte[], byte[]>> entries = ledgerOf(job);
          return entries.getLast().value() == null;
        });
    Map<String, Integer> paidBefore = Map.copyOf(stack.simulator().control().paidSubmissions());
    assertThat(paidBefore).containsEntry(job, 1);

    commands.send(Commands.restyle(job, Instant.now()));

    Waits.until(
        "a second terminal event of the forgotten " + job,
        Duration.ofSeconds(60),
        () -> events.eventsOf(job).size() >= 2);
    assertThat(stack.simulator().control().paidSubmissions())
        .as("a command after the horizon is a new job, paid again")
        .containsEntry(job, 2);
    assertThat(events.awaitTerminal(traffic, Duration.ofSeconds(60))).isEqualTo(traffic.size());
  }

  /** Every committed render.jobs record of the job, in offset order. */
  static List<ConsumerRecord<byte[], byte[]>> ledgerOf(String jobId) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor("render.jobs", Duration.ofSeconds(10)).stream()
              .map(pi -> new TopicPartition("render.jobs", pi.partition()))
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
