package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input on the command topics: undecodable bytes, unknown schema ids, foreign and incompatible
 * record types, null keys and values, hostile URLs, huge prompts and an oversized record. Each one
 * lands in render.dlt with its reason and original bytes (and a RenderFailed when it has a jobId);
 * good commands around them complete; the worker stays ready.
 */
@Timeout(240)
class BadInputIT {

  static String restyleTopic;
  static final Duration DONE = Duration.ofSeconds(60);
  static final int PARTITIONS = 4;

  @RegisterExtension static final E2eStack e2e = E2eStack.rendering(Duration.ofSeconds(1));

  static RenderRelayWorker worker;
  static WorkerProbe probe;
  static TopicTail dlt;
  static SchemaRegistryClient registry;

  /** One bad record: what is sent and what the worker must say about it. */
  record Bad(String name, String topic, String key, byte[] value, String reason, String detail) {}

  @BeforeAll
  static void start() throws Exception {
    WorkerSettings settings = e2e.settings("badinput-1").with("jobs.strict-input-urls", "true");
    worker = e2e.worker(settings);
    probe = new WorkerProbe(settings);
    restyleTopic = e2e.topic(Commands.RESTYLE_TOPIC);
    dlt = e2e.tail(TopicTail.DLT_TOPIC);
    registry =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.of(e2e.stack().registryUrl().orElseThrow()));
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  @Test
  void everyBadRecordIsDeadLetteredWithItsReasonWhileGoodOnesAroundItComplete() throws Exception {
    Instant now = Instant.now();
    byte[] valid = e2e.commands().serialize(restyleTopic, Commands.restyle(id("template"), now));
    byte[] header = Arrays.copyOf(valid, 5);
    List<Bad> bad = new ArrayList<>();
    bad.add(
        new Bad(
            "garbage after a valid header",
            restyleTopic,
            id("garbage"),
            concat(header, new byte[] {(byte) 0x7f, (byte) 0xff, (byte) 0xff, 1, 2, 3}),
            "UNDECODABLE",
            "does not decode"));
    bad.add(
        new Bad(
            "a 2 GB string length prefix",
            restyleTopic,
            id("hugelen"),
            concat(header, zigzag(2_000_000_000L), "abc".getBytes(StandardCharsets.UTF_8)),
            "UNDECODABLE",
            "exceeds the"));
    bad.add(
        new Bad(
            "truncated record",
            restyleTopic,
            id("truncated"),
            Arrays.copyOf(valid, valid.length - 7),
            "UNDECODABLE",
            "does not decode"));
    bad.add(
        new Bad(
            "unknown schema id",
            restyleTopic,
            id("unknown-id"),
            concat(
                new byte[] {0, 0x12, 0x34, 0x56, 0x78}, Arrays.copyOfRange(valid, 5, valid.length)),
            "UNKNOWN_SCHEMA",
            "305419896"));
    bad.add(
        new Bad(
            "no magic byte (JSON)",
            e2e.topic(Commands.ACT_ONE_TOPIC),
            id("json"),
            "{\"jobId\":\"x\",\"performanceVideoUrl\":\"https://a.example/v.mp4\"}"
                .getBytes(StandardCharsets.UTF_8),
            "UNDECODABLE",
            "magic"));
    bad.add(
        new Bad(
            "a foreign record type",
            restyleTopic,
            id("foreign"),
            foreignRecord(),
            "WRONG_RECORD_TYPE",
            "com.example.billing.Invoice"));
    bad.add(
        new Bad(
            "an incompatible RestyleCommand",
            restyleTopic,
            id("incompatible"),
            incompatibleRestyle(),
            "UNDECODABLE",
            "RestyleCommand"));
    bad.add(
        new Bad(
            "a null value (tombstone)",
            restyleTopic,
            id("tombstone"),
            null,
            "NULL_VALUE",
            "no value"));
    String mismatched = id("mismatch");
    bad.add(
        new Bad(
            "key differs from jobId",
            restyleTopic,
            mismatched,
            e2e.commands().serialize(restyleTopic, Commands.restyle(id("other"), now)),
            "KEY_MISMATCH",
            "differs"));
    bad.add(
        hostile(
            "file:// source",
            restyleWith(id("file"), "file:///etc/passwd", "pixelated"),
            "sourceVideoUrl"));
    bad.add(
        hostile(
            "metadata source",
            restyleWith(id("meta"), "http://169.254.169.254/latest/meta-data/", "pixelated"),
            "sourceVideoUrl"));
    String actOne = id("private");
    bad.add(
        hostile(
            "private image host",
            ActOneCommand.newBuilder(Commands.actOne(actOne, now))
                .setCharacterImageUrl("https://10.0.0.1/c.png")
                .build(),
            "characterImageUrl"));
    bad.add(
        hostile(
            "huge prompt",
            restyleWith(id("prompt"), "https://media.example.com/in.mp4", "p".repeat(200_000)),
            "prompt"));
    byte[] nullKeyed = e2e.commands().serialize(restyleTopic, Commands.restyle(id("nullkey"), now));

    List<String> good = new ArrayList<>();
    for (Bad b : bad) {
      String g = id("good");
      good.add(g);
      e2e.commands().send(Commands.restyle(g, Instant.now()));
      e2e.commands().sendRaw(b.topic(), b.key(), b.value());
    }
    e2e.commands().sendRaw(restyleTopic, null, nullKeyed);
    String lastGood = id("good-act-one");
    good.add(lastGood);
    e2e.commands().send(Commands.actOne(lastGood, Instant.now()));

    assertThat(e2e.events().awaitTerminal(good, DONE)).isEqualTo(good.size());
    good.forEach(
        g ->
            assertThat(e2e.events().eventsOf(g))
                .as(g)
                .singleElement()
                .isInstanceOf(RenderCompleted.class));

    for (Bad b : bad) {
      TopicTail.Rec letter =
          dlt.awaitKey(b.key(), Duration.ofSeconds(20))
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "no dead letter for " + b.name() + "; DLT holds " + dlt.all()));
      assertThat(letter.reason()).as(b.name()).isEqualTo(b.reason());
      assertThat(letter.detail()).as(b.name()).contains(b.detail());
      assertThat(letter.headers())
          .as(b.name())
          .containsKeys("rr.dlt.source.topic", "rr.dlt.source.offset");
      assertThat(letter.value()).as(b.name() + ": the original bytes").isEqualTo(b.value());
      assertThat(e2e.events().awaitTerminal(List.of(b.key()), Duration.ofSeconds(10)))
          .as(b.name())
          .isEqualTo(1);
      assertThat(e2e.events().eventsOf(b.key()))
          .as(b.name())
          .singleElement()
          .isInstanceOfSatisfying(
              RenderFailed.class,
              f -> assertThat(f.getReason()).isEqualTo(FailureReason.INVALID_COMMAND));
      assertThat(e2e.sim().paidSubmissions()).as(b.name()).doesNotContainKey(b.key());
    }
    TopicTail.Rec nullKey =
        dlt.await(
                r -> r.key() == null && Arrays.equals(r.value(), nullKeyed), Duration.ofSeconds(20))
            .orElseThrow(() -> new AssertionError("no dead letter for the null key"));
    assertThat(nullKey.reason()).isEqualTo("NULL_KEY");
    assertThat(e2e.events().eventsOf(mismatched)).singleElement().isInstanceOf(RenderFailed.class);
    assertThat(e2e.events().duplicated()).isEmpty();
    assertThat(probe.ready().status()).isEqualTo(200);
    assertThat(probe.metric("render_relay_dead_letters_total", ""))
        .isGreaterThanOrEqualTo(bad.size() + 1);
  }

  @Test
  void anOversizedRecordIsDeadLetteredAndItsPartitionGoesOn() throws Exception {
    String big = id("oversized");
    // a valid command whose prompt makes the record as large as a producer may send (1 MiB with
    // the record's overhead): its dead-letter copy, with the error headers, is larger still
    int target = 1_048_400;
    int filler = 1_046_000;
    byte[] bytes =
        e2e.commands()
            .serialize(
                restyleTopic,
                restyleWith(big, "https://media.example.com/in.mp4", "q".repeat(filler)));
    filler += target - bytes.length;
    bytes =
        e2e.commands()
            .serialize(
                restyleTopic,
                restyleWith(big, "https://media.example.com/in.mp4", "q".repeat(filler)));
    assertThat(bytes.length).isBetween(target - 8, target + 8);
    e2e.commands().sendRaw(restyleTopic, big, bytes);
    List<String> after = new ArrayList<>();
    while (after.size() < 2) {
      String g = id("after-big");
      if (partition(g) == partition(big)) {
        after.add(g);
        e2e.commands().send(Commands.restyle(g, Instant.now()));
      }
    }
    assertThat(e2e.events().awaitTerminal(after, DONE))
        .as("the partition goes on")
        .isEqualTo(after.size());
    after.forEach(
        g ->
            assertThat(e2e.events().eventsOf(g))
                .singleElement()
                .isInstanceOf(RenderCompleted.class));
    TopicTail.Rec letter =
        dlt.awaitKey(big, Duration.ofSeconds(20))
            .orElseThrow(() -> new AssertionError("no dead letter for the oversized record"));
    assertThat(letter.reason()).isEqualTo("INVALID_COMMAND");
    assertThat(letter.detail()).contains("prompt");
    // its copy with the error headers would exceed the 1 MiB limit: the value is left out, and the
    // detail says how large it was, its checksum and where the original is
    assertThat(letter.value()).isNull();
    assertThat(letter.detail())
        .contains("the value of " + bytes.length + " bytes (SHA-256")
        .contains("offset");
    assertThat(e2e.events().eventsOf(big))
        .singleElement()
        .isInstanceOfSatisfying(
            RenderFailed.class,
            f -> assertThat(f.getReason()).isEqualTo(FailureReason.INVALID_COMMAND));
    assertThat(probe.ready().status()).isEqualTo(200);
  }

  @Test
  void aKeyTooLongForAJobIdIsDeadLetteredAndGoodOnesComplete() throws Exception {
    String longKey = "k".repeat(100_000);
    e2e.commands()
        .sendRaw(
            restyleTopic,
            longKey,
            e2e.commands().serialize(restyleTopic, Commands.restyle(id("longkey"), Instant.now())));
    String good = id("after-longkey");
    e2e.commands().send(Commands.restyle(good, Instant.now()));
    assertThat(e2e.events().awaitTerminal(List.of(good), DONE)).isEqualTo(1);
    TopicTail.Rec letter =
        dlt.awaitKey(longKey, Duration.ofSeconds(20))
            .orElseThrow(() -> new AssertionError("no dead letter for the long key"));
    assertThat(letter.reason()).isEqualTo("INVALID_COMMAND");
    assertThat(letter.detail()).contains("too long to be a jobId");
    assertThat(e2e.events().eventsOf(longKey)).isEmpty();
  }

  private Bad hostile(String name, SpecificRecord command, String field) {
    String key =
        command instanceof ActOneCommand a ? a.getJobId() : ((RestyleCommand) command).getJobId();
    String topic =
        command instanceof ActOneCommand ? e2e.topic(Commands.ACT_ONE_TOPIC) : restyleTopic;
    return new Bad(
        name, topic, key, e2e.commands().serialize(topic, command), "INVALID_COMMAND", field);
  }

  private static RestyleCommand restyleWith(String jobId, String source, String prompt) {
    return RestyleCommand.newBuilder(Commands.restyle(jobId, Instant.now()))
        .setSourceVideoUrl(source)
        .setPrompt(prompt)
        .build();
  }

  /** Another service's record, registered under its own subject, sent to the command topic. */
  private static byte[] foreignRecord() {
    Schema invoice =
        SchemaBuilder.record("Invoice")
            .namespace("com.example.billing")
            .fields()
            .requiredString("invoiceId")
            .requiredLong("cents")
            .endRecord();
    GenericRecord r = new GenericData.Record(invoice);
    r.put("invoiceId", "inv-1");
    r.put("cents", 1299L);
    return new ConfluentAvroSerializer<Object>(
            registry, SubjectNameStrategy.TOPIC_NAME, true, false)
        .serialize("billing.invoices", r);
  }

  /** A record named like RestyleCommand but without the fields the worker needs. */
  private static byte[] incompatibleRestyle() {
    Schema old =
        SchemaBuilder.record("RestyleCommand")
            .namespace("io.renderrelay.avro")
            .fields()
            .requiredInt("version")
            .endRecord();
    GenericRecord r = new GenericData.Record(old);
    r.put("version", 1);
    return new ConfluentAvroSerializer<Object>(
            registry, SubjectNameStrategy.TOPIC_NAME, true, false)
        .serialize("legacy.restyle", r);
  }

  private static int partition(String key) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] zigzag(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }

  private static String id(String what) {
    return what + "-" + UUID.randomUUID();
  }
}
