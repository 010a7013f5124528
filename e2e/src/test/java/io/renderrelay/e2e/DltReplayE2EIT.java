package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.client.DltHeaders;
import io.renderrelay.devstack.simulator.Faults;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.dlt.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator CLI, in process, against the embedded stack with the real schema registry and a
 * running worker: a DLT filled with mixed failures by the worker itself (invalid, undecodable, key
 * mismatch, an ambiguous submit) plus dead-letter copies of commands whose jobs completed; a
 * filtered, rate-capped replay; provenance headers, counts, and no second payment or terminal event
 * for jobs that already ended. Also submit, events tail, list --json and inspect.
 */
@Timeout(240)
class DltReplayE2EIT {

  static final String DLT = "render.dlt";
  static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static RenderRelayWorker worker;

  @BeforeAll
  static void start() throws Exception {
    // A 1 s provider timeout: a submit answered after 2.5 s is ambiguous (it was paid).
    worker = e2e.worker(e2e.settings("dlt-e2e").with("provider.request-timeout", "1s"));
  }

  @Test
  void filteredRateCappedReplayNeverPaysTwiceNorAnnouncesTwice() throws Exception {
    SimulatorControl sim = e2e.sim();
    String ambiguous = "dlt-ambiguous-" + UUID.randomUUID();
    sim.faults().slowAnswers(new Faults.SlowAnswers(1.0, 2500));
    try {
      e2e.commands().send(Commands.restyle(ambiguous, Instant.now()));
      assertThat(e2e.events().awaitTerminal(List.of(ambiguous), Duration.ofSeconds(30)))
          .isEqualTo(1);
    } finally {
      sim.faults().slowAnswers(null);
    }
    assertThat(((RenderFailed) e2e.events().eventsOf(ambiguous).get(0)).getReason())
        .isEqualTo(FailureReason.AMBIGUOUS_SUBMIT);

    List<String> invalid = List.of(id("dlt-invalid-a"), id("dlt-invalid-b"));
    for (String j : invalid) {
      RestyleCommand c = Commands.restyle(j, Instant.now());
      c.setPrompt("");
      e2e.commands().send(c);
    }
    String undecodable = id("dlt-undecodable");
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.RESTYLE_TOPIC),
            undecodable,
            "not avro".getBytes(StandardCharsets.UTF_8));
    String unknownSchema = id("dlt-unknown-schema");
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.RESTYLE_TOPIC), unknownSchema, new byte[] {0, 0, 0, 0x7f, 99, 1, 2});
    String mismatchKey = id("dlt-mismatch-key");
    ActOneCommand mismatched = Commands.actOne(id("dlt-mismatch-job"), Instant.now());
    e2e.commands()
        .sendRaw(
            e2e.topic(Commands.ACT_ONE_TOPIC),
            mismatchKey,
            e2e.commands().serialize(e2e.topic(Commands.ACT_ONE_TOPIC), mismatched));
    List<String> completed = List.of(id("dlt-completed-a"), id("dlt-completed-b"));
    List<RestyleCommand> completedCommands = new ArrayList<>();
    for (String j : completed) {
      RestyleCommand c = Commands.restyle(j, Instant.now());
      completedCommands.add(c);
      e2e.commands().send(c);
    }
    List<String> all = new ArrayList<>(List.of(ambiguous, undecodable, unknownSchema, mismatchKey));
    all.addAll(invalid);
    all.addAll(completed);
    assertThat(e2e.events().awaitTerminal(all, Duration.ofSeconds(60))).isEqualTo(all.size());
    completed.forEach(
        j -> assertThat(e2e.events().eventsOf(j).get(0)).matches(EventCollector::completed));

    // Dead-letter copies of the completed jobs' commands, with the worker's own headers.
    writeDeadLetterCopies(completedCommands);

    Map<String, JsonNode> dlt = dltByJob();
    assertThat(dlt.keySet())
        .containsExactlyInAnyOrder(
            ambiguous,
            undecodable,
            unknownSchema,
            mismatchKey,
            invalid.get(0),
            invalid.get(1),
            completed.get(0),
            completed.get(1));
    assertThat(dlt.get(ambiguous).get("reason").asText()).isEqualTo("AMBIGUOUS_SUBMIT");
    assertThat(dlt.get(undecodable).get("reason").asText()).isEqualTo("UNDECODABLE");
    assertThat(dlt.get(unknownSchema).get("reason").asText()).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(dlt.get(mismatchKey).get("reason").asText()).isEqualTo("KEY_MISMATCH");
    assertThat(dlt.get(invalid.get(0)).get("reason").asText()).isEqualTo("INVALID_COMMAND");
    assertThat(dlt.get(invalid.get(0)).get("sourceTopic").asText())
        .isEqualTo(e2e.topic(Commands.RESTYLE_TOPIC));

    inspectDecodesTheAmbiguousCommandAndShowsUndecodableBytes(dlt, ambiguous, undecodable);

    Map<String, Integer> paidBefore = Map.copyOf(sim.paidSubmissions());
    assertThat(paidBefore).containsEntry(ambiguous, 1);
    completed.forEach(j -> assertThat(paidBefore).containsEntry(j, 1));
    double droppedBefore = duplicatesDropped();

    long started = System.nanoTime();
    CliRun replay =
        cli(
            "dlt",
            "replay",
            "--reason",
            "INVALID_COMMAND,AMBIGUOUS_SUBMIT",
            "--job-type",
            "restyle",
            "--rate",
            "5/s",
            "--jobs-topic",
            e2e.topic("render.jobs"),
            "--group",
            e2e.lane().name(),
            "--yes");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(replay.exit()).as(replay.err()).isZero();
    assertThat(replay.out()).contains("replayed=5 skipped=0 dry_run=false");
    // what the worker did with each, read from the ledger once the group consumed them
    assertThat(replay.out())
        .contains("outcome jobId=" + invalid.get(0) + " runs again")
        .contains("outcome jobId=" + invalid.get(1) + " runs again")
        .contains("outcome jobId=" + ambiguous + " duplicate of a paid job: AMBIGUOUS")
        .contains("outcome jobId=" + completed.get(0) + " duplicate of a paid job: COMPLETED")
        .endsWith("outcomes ran_again=2 duplicate=3 no_job=0 pending=0" + System.lineSeparator());
    assertThat(took)
        .as("5 records at 5/s: 4 waits of 200 ms")
        .isGreaterThanOrEqualTo(Duration.ofMillis(750));

    Set<String> replayedJobs =
        Set.of(ambiguous, invalid.get(0), invalid.get(1), completed.get(0), completed.get(1));
    List<ConsumerRecord<byte[], byte[]>> replayed = replayedOn(e2e.topic(Commands.RESTYLE_TOPIC));
    assertThat(replayed)
        .extracting(DltReplayE2EIT::key)
        .containsExactlyInAnyOrderElementsOf(replayedJobs);
    for (ConsumerRecord<byte[], byte[]> r : replayed) {
      JsonNode source = dlt.get(key(r));
      assertThat(header(r, DltHeaders.REPLAY_COUNT)).isEqualTo("1");
      assertThat(header(r, DltHeaders.REPLAY_SOURCE_PARTITION))
          .isEqualTo(source.get("partition").asText());
      assertThat(header(r, DltHeaders.REPLAY_SOURCE_OFFSET))
          .isEqualTo(source.get("offset").asText());
      assertThat(Long.parseLong(header(r, DltHeaders.REPLAY_TIME))).isPositive();
      assertThat(header(r, DltHeaders.REASON)).isEqualTo(source.get("reason").asText());
      assertThat(header(r, DltHeaders.SOURCE_TOPIC)).isEqualTo(e2e.topic(Commands.RESTYLE_TOPIC));
    }

    // The paid jobs (ambiguous, completed) are known and dropped as duplicates; the invalid
    // ones ended unpaid, so they run again, and fail again: the replay did not correct them.
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (duplicatesDropped() < droppedBefore + 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(duplicatesDropped()).isEqualTo(droppedBefore + 3);
    for (String j : invalid) {
      Waits.until(
          "a second terminal event of the re-run " + j,
          Duration.ofSeconds(30),
          () -> e2e.events().eventsOf(j).size() >= 2);
    }
    Thread.sleep(500); // a last chance for any wrong event to show up
    for (String j : all) {
      assertThat(e2e.events().eventsOf(j))
          .as("terminal events of %s", j)
          .hasSize(invalid.contains(j) ? 2 : 1);
    }
    Map<String, Integer> paidAfter = sim.paidSubmissions();
    for (String j : replayedJobs) {
      assertThat(paidAfter.get(j)).as("paid submissions of %s", j).isEqualTo(paidBefore.get(j));
    }
    assertThat(dltRecordCount())
        .as("the re-run invalid commands came back to the DLT")
        .isEqualTo(10);
  }

  @Test
  void submitRestyleCompletesAndEventsTailPrintsIt() throws Exception {
    String jobId = id("cli-submit");
    CliRun submit =
        cli(
            "submit",
            "restyle",
            "--job-id",
            jobId,
            "--video",
            "https://media.example.com/in/" + jobId + ".mp4",
            "--prompt",
            "pixelated style",
            "--metadata",
            "origin=cli-e2e");
    assertThat(submit.exit()).as(submit.err()).isZero();
    assertThat(submit.out())
        .startsWith("jobId=" + jobId + " topic=" + e2e.topic(Commands.RESTYLE_TOPIC));
    assertThat(e2e.events().awaitTerminal(List.of(jobId), Duration.ofSeconds(60))).isEqualTo(1);
    assertThat(e2e.events().eventsOf(jobId).get(0)).matches(EventCollector::completed);

    CliRun tail =
        cli(
            "events",
            "tail",
            "--from-beginning",
            "--job-id",
            jobId,
            "--max",
            "1",
            "--timeout",
            "30s");
    assertThat(tail.exit()).as(tail.err()).isZero();
    List<String> lines = tail.out().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode event = JSON.readTree(lines.get(0));
    assertThat(event.toString()).contains(jobId).contains("origin").contains("cli-e2e");
    assertThat(event.toString()).contains("video.mp4");
  }

  private void inspectDecodesTheAmbiguousCommandAndShowsUndecodableBytes(
      Map<String, JsonNode> dlt, String ambiguous, String undecodable) throws Exception {
    JsonNode amb = dlt.get(ambiguous);
    CliRun inspect =
        cli(
            "dlt",
            "inspect",
            "--partition",
            amb.get("partition").asText(),
            "--offset",
            amb.get("offset").asText(),
            "--json");
    assertThat(inspect.exit()).as(inspect.err()).isZero();
    JsonNode doc = JSON.readTree(inspect.out());
    assertThat(doc.get("jobId").asText()).isEqualTo(ambiguous);
    assertThat(doc.at("/value/decoded").asBoolean()).as(inspect.out()).isTrue();
    assertThat(doc.at("/value/schema").asText()).contains("RestyleCommand");
    assertThat(doc.at("/value/json/jobId").asText()).isEqualTo(ambiguous);
    assertThat(doc.at("/value/json/prompt").asText()).isEqualTo("pixelated style");

    JsonNode und = dlt.get(undecodable);
    CliRun raw =
        cli(
            "dlt",
            "inspect",
            "--partition",
            und.get("partition").asText(),
            "--offset",
            und.get("offset").asText());
    assertThat(raw.exit()).as(raw.err()).isZero();
    assertThat(raw.out()).contains("rr.dlt.reason: UNDECODABLE").contains("value    not decoded: ");
  }

  private static void writeDeadLetterCopies(List<RestyleCommand> cmds) throws Exception {
    DeadLetters dl = new DeadLetters(e2e.topic(DLT), Clock.systemUTC());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, e2e.stack().kafka().bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (RestyleCommand c : cmds) {
        producer
            .send(
                dl.ofCommand(
                    e2e.topic(Commands.RESTYLE_TOPIC),
                    c.getJobId().getBytes(StandardCharsets.UTF_8),
                    e2e.commands().serialize(e2e.topic(Commands.RESTYLE_TOPIC), c),
                    DeadLetterReason.INVALID_COMMAND,
                    "e2e: a dead-letter copy of a command whose job completed"))
            .get();
      }
    }
  }

  /** {@code dlt list --json}: one object per record, by jobId. */
  private static Map<String, JsonNode> dltByJob() throws Exception {
    CliRun list = cli("dlt", "list", "--json", "--limit", "0");
    assertThat(list.exit()).as(list.err()).isZero();
    Map<String, JsonNode> out = new HashMap<>();
    for (String line : list.out().lines().toList()) {
      JsonNode n = JSON.readTree(line);
      out.put(n.get("jobId").asText(), n);
    }
    return out;
  }

  private static long dltRecordCount() throws Exception {
    CliRun list = cli("dlt", "list", "--json", "--limit", "0");
    assertThat(list.exit()).as(list.err()).isZero();
    return list.out().lines().count();
  }

  private static double duplicatesDropped() {
    return PrometheusText.parse(worker.metrics().scrape())
        .sum("render_relay_duplicate_commands_total", "action", "dropped");
  }

  /** Records of {@code topic} carrying a replay counter, read_committed, up to the end. */
  private static List<ConsumerRecord<byte[], byte[]>> replayedOn(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, e2e.stack().kafka().bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps =
          c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (r.headers().lastHeader(DltHeaders.REPLAY_COUNT) != null) {
            out.add(r);
          }
        }
      }
      return out;
    }
  }

  private static CliRun cli(String... args) {
    return CliRun.run(e2e.cliEnvironment(), args);
  }

  private static String key(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String id(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
