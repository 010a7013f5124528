package io.renderrelay.worker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EventTailerTest {

  private final FakeAvroSerde serde = new FakeAvroSerde();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private ConsumerRecord<byte[], byte[]> failed(long offset, String jobId) {
    RenderFailed e =
        RenderFailed.newBuilder()
            .setJobId(jobId)
            .setJobType(JobType.RESTYLE)
            .setReason(FailureReason.MODERATION)
            .setMessage("rejected by moderation")
            .setFailedAt(Instant.parse("2026-11-25T11:00:00Z"))
            .build();
    return new ConsumerRecord<>(
        "render.events",
        0,
        offset,
        jobId.getBytes(StandardCharsets.UTF_8),
        serde.serializer().serialize("render.events", e));
  }

  private EventTailer.Result tail(
      List<ConsumerRecord<byte[], byte[]>> records, EventTailer.Settings s) {
    MockConsumer<byte[], byte[]> c = TestDlt.consumer("render.events", 1, new ArrayList<>(records));
    return new EventTailer(
            c,
            serde.deserializer(true),
            MutableClock.ticking(Instant.parse("2026-11-25T12:00:00Z"), Duration.ofSeconds(1)),
            new PrintWriter(out, true),
            new PrintWriter(err, true))
        .tail("render.events", s);
  }

  @Test
  void printsOneJsonLinePerEventOfTheGivenJobsAndStopsAtMax() throws Exception {
    var records =
        List.of(
            failed(0, "a"),
            failed(1, "b"),
            new ConsumerRecord<>(
                "render.events", 0, 2, "b".getBytes(StandardCharsets.UTF_8), new byte[] {9, 9}),
            failed(3, "b"),
            failed(4, "b"));
    EventTailer.Result r =
        tail(records, new EventTailer.Settings(true, 2, Set.of("b"), Optional.empty()));

    assertThat(r).isEqualTo(new EventTailer.Result(2, false));
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(2);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("type").asText()).isEqualTo("RenderFailed");
    assertThat(first.get("jobId").asText()).isEqualTo("b");
    assertThat(first.get("offset").asLong()).isEqualTo(1);
    assertThat(first.get("event").get("reason").asText()).isEqualTo("MODERATION");
    assertThat(first.get("event").get("failedAt").asText()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(new ObjectMapper().readTree(lines.get(1)).get("offset").asLong()).isEqualTo(3);
    assertThat(err.toString())
        .contains("skipping render.events/0@2: cannot decode: Unknown magic byte");
  }

  @Test
  void stopsAtTheTimeout() {
    EventTailer.Result r =
        tail(
            List.of(failed(0, "a")),
            new EventTailer.Settings(true, 5, Set.of(), Optional.of(Duration.ofSeconds(10))));
    assertThat(r.timedOut()).isTrue();
    assertThat(r.printed()).isEqualTo(1);
  }
}
