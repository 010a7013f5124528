package io.renderrelay.devstack.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.devstack.Directories;
import io.renderrelay.devstack.LocalPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class EmbeddedKafkaIT {

  @Test
  void transactionsCommitAndAbortAndReadCommittedSeesOnlyCommitted() {
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults())) {
      long t0 = System.nanoTime();
      kafka.start();
      System.out.printf(
          "TIMING embedded kafka start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      kafka.createTopics(Map.of("tx-topic", 3));

      try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-1")) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx-topic", "k1", "committed-1"));
        producer.send(new ProducerRecord<>("tx-topic", "k2", "committed-2"));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx-topic", "k3", "aborted-1"));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("tx-topic", "k4", "committed-3"));
        producer.commitTransaction();
      }

      try (KafkaConsumer<String, String> consumer = consumer(kafka, "read_committed")) {
        consumer.subscribe(List.of("tx-topic"));
        assertThat(pollValues(consumer, 3))
            .containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
      }
      try (KafkaConsumer<String, String> consumer = consumer(kafka, "read_uncommitted")) {
        consumer.subscribe(List.of("tx-topic"));
        assertThat(pollValues(consumer, 4)).contains("aborted-1");
      }
    }
  }

  @Test
  void restartKeepsDataPortAndClientsResume() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults())) {
      long t0 = System.nanoTime();
      kafka.start();
      System.out.printf(
          "TIMING embedded kafka start: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      String bootstrap = kafka.bootstrapServers();
      kafka.createTopics(Map.of("restart-topic", 1));
      try (KafkaProducer<String, String> producer = transactionalProducer(kafka, "tx-restart");
          KafkaConsumer<String, String> consumer = consumer(kafka, "read_committed")) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("restart-topic", "a", "before"));
        producer.commitTransaction();
        consumer.subscribe(List.of("restart-topic"));
        assertThat(pollValues(consumer, 1)).containsExactly("before");
        consumer.commitSync();

        long r0 = System.nanoTime();
        kafka.restart();
        System.out.printf(
            "TIMING embedded kafka restart: %d ms%n", (System.nanoTime() - r0) / 1_000_000);
        assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);

        // the same producer and consumer instances carry on after the broker came back
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("restart-topic", "b", "after"));
        producer.commitTransaction();
        assertThat(pollValues(consumer, 1)).containsExactly("after");
      }
      try (KafkaConsumer<String, String> fresh = consumer(kafka, "read_committed")) {
        fresh.subscribe(List.of("restart-topic"));
        assertThat(pollValues(fresh, 2)).containsExactly("before", "after");
      }
    }
  }

  @Test
  void fixedPortAndGivenLogDirSurviveANewInstance() throws Exception {
    Path dir = Files.createTempDirectory("embedded-kafka-it");
    int port = LocalPorts.resolve(0);
    EmbeddedKafkaConfig cfg = EmbeddedKafkaConfig.defaults().withPort(port).withLogDir(dir);
    try (EmbeddedKafka first = new EmbeddedKafka(cfg)) {
      first.start();
      assertThat(first.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
      first.createTopics(Map.of("kept-topic", 2));
    }
    assertThat(LocalPorts.isListening(port)).isFalse();
    assertThat(dir).isDirectory();
    try (EmbeddedKafka second = new EmbeddedKafka(cfg)) {
      second.start();
      try (Admin a =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrapServers()))) {
        assertThat(a.listTopics().names().get()).contains("kept-topic");
      }
    } finally {
      Directories.deleteRecursively(dir);
    }
  }

  @Test
  void closeDeletesTemporaryLogDirAndReleasesPort() {
    EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafkaConfig.defaults());
    kafka.start();
    int port = kafka.port();
    Path dir = kafka.logDir();
    assertThat(LocalPorts.isListening(port)).isTrue();
    kafka.close();
    assertThat(LocalPorts.isListening(port)).isFalse();
    assertThat(dir).doesNotExist();
  }

  private static KafkaProducer<String, String> transactionalProducer(
      EmbeddedKafka kafka, String txId) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
  }

  /** Polls until {@code expected} records arrived, then once more to catch any extra record. */
  private static List<String> pollValues(KafkaConsumer<String, String> consumer, int expected) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (values.size() < expected && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
        values.add(r.value());
      }
    }
    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
      values.add(r.value());
    }
    return values;
  }
}
