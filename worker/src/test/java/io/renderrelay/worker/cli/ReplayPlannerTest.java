package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class ReplayPlannerTest {

  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  private static List<String> headerStrings(Iterable<Header> headers) {
    List<String> out = new ArrayList<>();
    headers.forEach(h -> out.add(h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void keepsKeyValueAndEveryHeaderAndAddsProvenance() {
    ConsumerRecord<byte[], byte[]> r = record(2, 41, 1000, "job-1", "UNDECODABLE", RESTYLE, 7);
    var plan = new ReplayPlanner(Optional.empty(), "render.dlt", clock).plan(r);

    assertThat(plan).isInstanceOf(ReplayPlanner.Plan.Send.class);
    ProducerRecord<byte[], byte[]> out = ((ReplayPlanner.Plan.Send) plan).record();
    assertThat(out.topic()).isEqualTo(RESTYLE);
    assertThat(out.partition()).as("rr.dlt.source.partition").isEqualTo(3);
    assertThat(out.key()).isEqualTo(r.key());
    assertThat(out.value()).isEqualTo(r.value());
    List<String> expected = new ArrayList<>(headerStrings(r.headers()));
    expected.add("rr.replay.count=1");
    expected.add("rr.replay.time=" + NOW.toEpochMilli());
    expected.add("rr.replay.source.partition=2");
    expected.add("rr.replay.source.offset=41");
    assertThat(headerStrings(out.headers())).containsExactlyElementsOf(expected);
    assertThat(((ReplayPlanner.Plan.Send) plan).replayNumber()).isEqualTo(1);
  }

  @Test
  void toAnotherTopicThePartitionerDecides() {
    ConsumerRecord<byte[], byte[]> r = record(2, 41, 1000, "job-1", "UNDECODABLE", RESTYLE, 7);
    var plan = new ReplayPlanner(Optional.of("render.commands.other"), "render.dlt", clock).plan(r);
    assertThat(((ReplayPlanner.Plan.Send) plan).record().partition()).isNull();
  }

  @Test
  void aReplayedRecordReplayedAgainCountsUpAndKeepsOneSetOfProvenance() {
    ConsumerRecord<byte[], byte[]> r =
        record(
            0,
            9,
            1000,
            "job-1",
            "UNDECODABLE",
            RESTYLE,
            7,
            "rr.replay.count",
            "2",
            "rr.replay.time",
            "5",
            "rr.replay.source.offset",
            "3",
            "rr.replay.source.partition",
            "1");
    var plan =
        (ReplayPlanner.Plan.Send) new ReplayPlanner(Optional.empty(), "render.dlt", clock).plan(r);

    List<String> headers = headerStrings(plan.record().headers());
    assertThat(headers)
        .filteredOn(h -> h.startsWith("rr.replay."))
        .containsExactly(
            "rr.replay.count=3",
            "rr.replay.time=" + NOW.toEpochMilli(),
            "rr.replay.source.partition=0",
            "rr.replay.source.offset=9");
    assertThat(plan.replayNumber()).isEqualTo(3);
  }

  @Test
  void toTopicOverridesTheSource() {
    ConsumerRecord<byte[], byte[]> r = record(0, 1, 1000, "job-1", "UNDECODABLE", RESTYLE, 7);
    var plan =
        (ReplayPlanner.Plan.Send)
            new ReplayPlanner(Optional.of("quarantine"), "render.dlt", clock).plan(r);
    assertThat(plan.record().topic()).isEqualTo("quarantine");
    assertThat(headerStrings(plan.record().headers())).contains("rr.dlt.source.topic=" + RESTYLE);
  }

  @Test
  void withoutSourceTopicOrToTheRecordIsSkippedWithTheReason() {
    ConsumerRecord<byte[], byte[]> r = record(0, 1, 1000, "job-1", "NULL_KEY", null, 0);
    var plan = new ReplayPlanner(Optional.empty(), "render.dlt", clock).plan(r);
    assertThat(plan)
        .isEqualTo(new ReplayPlanner.Plan.Skip("no rr.dlt.source.topic header and no --to"));
    assertThat(new ReplayPlanner(Optional.of("x"), "render.dlt", clock).plan(r))
        .isInstanceOf(ReplayPlanner.Plan.Send.class);
  }

  @Test
  void neverReplaysIntoTheDeadLetterTopic() {
    ConsumerRecord<byte[], byte[]> r = record(0, 1, 1000, "job-1", "UNDECODABLE", "render.dlt", 0);
    assertThat(new ReplayPlanner(Optional.empty(), "render.dlt", clock).plan(r))
        .isInstanceOf(ReplayPlanner.Plan.Skip.class);
  }
}
