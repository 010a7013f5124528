package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.kafka.TestBroker;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The replay CLI against a real KRaft broker: a DLT written transactionally by the worker's own
 * {@link DeadLetters} (one transaction aborted), a filtered, rate-capped replay, and the replayed
 * records checked on their source topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(180)
class DltReplayIT {

  private static final String DLT = "render.dlt";
  private static final String RESTYLE = "render.commands.restyle";
  private static final String ACT_ONE = "render.commands.act-one";

  private KafkaClusterTestKit cluster;
  private String bootstrap;
  private final Map<String, Long> dltOffsetOfJob = new HashMap<>();

  @BeforeAll
  void startBrokerAndFillTheDlt() throws Exception {
    cluster = TestBroker.start(Map.of());
    bootstrap = cluster.bootstrapServers();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(DLT, 2, (short) 1),
                  new NewTopic(RESTYLE, 2, (short) 1),
                  new NewTopic(ACT_ONE, 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    fillDlt();
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void fillDlt() throws Exception {
    DeadLetters dl = new DeadLetters(DLT, Clock.systemUTC());
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-worker");
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      var sends =
          new ArrayList<
              java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>>();
      List<String> jobs = new ArrayList<>();
      record(
          sends,
          jobs,
          producer,
          dl.of(
              source(RESTYLE, 0, 10, "job-r1"),
              DeadLetterReason.UNDECODABLE,
              "bad magic",
              new IllegalStateException()),
          "job-r1");
      record(
          sends,
          jobs,
          producer,
          dl.of(
              source(RESTYLE, 1, 11, "job-r2"), DeadLetterReason.INVALID_COMMAND, "http url", null),
          "job-r2");
      record(
          sends,
          jobs,
          producer,
          dl.of(source(ACT_ONE, 0, 12, "job-a1"), DeadLetterReason.UNDECODABLE, "bad magic", null),
          "job-a1");
      record(
          sends,
          jobs,
          producer,
          dl.of(source(RESTYLE, 0, 13, "job-r3"), DeadLetterReason.PROCESSING_ERROR, "boom", null),
          "job-r3");
      record(
          sends,
          jobs,
          producer,
          dl.of(source(RESTYLE, 1, 14, "job-r4"), DeadLetterReason.UNDECODABLE, "bad magic", null),
          "job-r4");
      record(
          sends,
          jobs,
          producer,
          dl.ofCommand(
              RESTYLE,
              bytes("job-r5"),
              bytes("cmd-job-r5"),
              DeadLetterReason.INVALID_COMMAND,
              "rebuilt"),
          "job-r5");
      var nullKey =
          new org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]>(
              DLT,
              null,
              null,
              bytes("no-key"),
              new RecordHeaders().add("rr.dlt.reason", bytes("NULL_KEY")));
      sends.add(producer.send(nullKey));
      jobs.add("-");
      producer.commitTransaction();
      for (int i = 0; i < sends.size(); i++) {
        dltOffsetOfJob.put(jobs.get(i), sends.get(i).get().offset());
      }
      producer.beginTransaction();
      producer
          .send(
              dl.of(source(RESTYLE, 0, 99, "job-aborted"), DeadLetterReason.UNDECODABLE, "x", null))
          .get();
      producer.abortTransaction();
    }
  }

  private static void record(
      List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sends,
      List<String> jobs,
      KafkaProducer<byte[], byte[]> producer,
      org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r,
      String job) {
    sends.add(producer.send(r));
    jobs.add(job);
  }

  private static ConsumerRecord<byte[], byte[]> source(
      String topic, int partition, long offset, String jobId) {
    var h = new RecordHeaders().add("traceparent", bytes("00-abc-" + jobId));
    return new ConsumerRecord<>(
        topic,
        partition,
        offset,
        1000L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        bytes(jobId),
        bytes("cmd-" + jobId),
        h,
        Optional.empty());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private record Run(int exit, String out, String err) {}

  private Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--bootstrap-servers=" + bootstrap);
    CliContext ctx =
        new CliContext(
            Clock.systemUTC(),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            KafkaTools::new,
            io.renderrelay.worker.retry.Sleeper.system(),
            System::nanoTime,
            CliContext.Terminal.fromLauncher(),
            java.util.Map.of());
    int exit = RenderRelayCli.run(ctx, all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<String, Object> p =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      return out;
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void listsSeesOnlyCommittedRecords() {
    Run run = cli("dlt", "list", "--limit", "0");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines()).hasSize(7).noneMatch(l -> l.contains("job-aborted"));
    assertThat(run.out())
        .contains(
            "jobId=job-r1 reason=UNDECODABLE source="
                + RESTYLE
                + "/0@10 exception=java.lang.IllegalStateException");
  }

  @Test
  void filteredRateCappedReplayLandsOnTheSourceTopicsWithProvenance() {
    Run dry =
        cli(
            "dlt",
            "replay",
            "--dry-run",
            "--job-type",
            "restyle",
            "--reason",
            "UNDECODABLE,INVALID_COMMAND");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).endsWith("replayed=4 skipped=0 dry_run=true" + System.lineSeparator());
    assertThat(readAll(RESTYLE)).isEmpty();

    long start = System.nanoTime();
    Run run =
        cli(
            "dlt",
            "replay",
            "--yes",
            "--job-type",
            "restyle",
            "--reason",
            "UNDECODABLE",
            "--reason",
            "INVALID_COMMAND",
            "--rate",
            "4/s",
            "--progress",
            "--await",
            "0s");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).endsWith("replayed=4 skipped=0 dry_run=false" + System.lineSeparator());
    assertThat(run.err()).contains("sent=4");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700)); // 4 at 4/s: 3 waits of 250 ms
    List<ConsumerRecord<byte[], byte[]>> landed = readAll(RESTYLE);
    assertThat(landed)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("job-r1", "job-r2", "job-r4", "job-r5");
    assertThat(readAll(ACT_ONE)).isEmpty();
    for (ConsumerRecord<byte[], byte[]> r : landed) {
      String job = new String(r.key(), StandardCharsets.UTF_8);
      assertThat(r.value()).isEqualTo(bytes("cmd-" + job));
      assertThat(header(r, "rr.replay.count")).isEqualTo("1");
      assertThat(header(r, "rr.replay.source.offset"))
          .isEqualTo(dltOffsetOfJob.get(job).toString());
      assertThat(header(r, "rr.replay.source.partition")).isNotNull();
      assertThat(Long.parseLong(header(r, "rr.replay.time"))).isPositive();
      assertThat(header(r, "rr.dlt.source.topic")).isEqualTo(RESTYLE);
      assertThat(header(r, "rr.dlt.reason")).isIn("UNDECODABLE", "INVALID_COMMAND");
      if (!job.equals("job-r5")) {
        assertThat(header(r, "traceparent")).isEqualTo("00-abc-" + job);
      }
    }

    Run noSource = cli("dlt", "replay", "--yes", "--reason", "NULL_KEY");
    assertThat(noSource.exit()).as(noSource.err()).isZero();
    assertThat(noSource.out())
        .endsWith("replayed=0 skipped=1 dry_run=false" + System.lineSeparator());
    assertThat(noSource.err()).contains("skipped 1: no rr.dlt.source.topic header and no --to");
  }
}
