package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.ACT_ONE;
import static io.renderrelay.worker.cli.TestDlt.DLT;
import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.worker.ratelimit.TokenBucket;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReplayerTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
  private final StringWriter out = new StringWriter();
  private final RateLimiterTest.FakeTime time = new RateLimiterTest.FakeTime();

  private final List<ConsumerRecord<byte[], byte[]>> dlt =
      List.of(
          record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 10),
          record(0, 1, 1001, "job-2", "INVALID_COMMAND", ACT_ONE, 11),
          record(0, 2, 1002, null, "NULL_KEY", null, 0),
          record(1, 0, 1003, "job-4", "UNDECODABLE", ACT_ONE, 12),
          record(1, 1, 1004, "job-5", "UNDECODABLE", null, 0),
          record(1, 2, 1005, "job-6", "UNDECODABLE", RESTYLE, 13));

  private MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private Replayer.Summary replay(DltFilter filter, Replayer.Settings settings)
      throws InterruptedException {
    MockConsumer<byte[], byte[]> consumer = TestDlt.consumer(DLT, 2, dlt);
    DltReader reader = new DltReader(consumer, DLT, () -> time.nanos, Duration.ofSeconds(30));
    DltReader.Range range = reader.open(Optional.empty());
    Replayer replayer =
        new Replayer(
            reader,
            producer,
            new ReplayPlanner(Optional.empty(), DLT, clock),
            settings,
            new PrintWriter(out, true),
            total -> ProgressBar.disabled());
    return replayer.run(filter, range);
  }

  private static Replayer.Settings all() {
    return new Replayer.Settings(false, Optional.empty(), Long.MAX_VALUE);
  }

  private static DltFilter reasons(String... r) {
    return new DltFilter(
        Set.of(r), Set.of(), Optional.empty(), Optional.empty(), Set.of(), Map.of());
  }

  @Test
  void replaysTheSelectedRecordsToTheirSourceTopicsAndCountsTheSkipped()
      throws InterruptedException {
    Replayer.Summary s = replay(reasons("UNDECODABLE"), all());

    assertThat(s.line()).isEqualTo("replayed=3 skipped=1 dry_run=false");
    assertThat(s.scanned()).isEqualTo(6);
    assertThat(s.skipReasons())
        .containsExactly(Map.entry("no rr.dlt.source.topic header and no --to", 1L));
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactlyInAnyOrder(RESTYLE, ACT_ONE, RESTYLE);
    assertThat(producer.history())
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("job-1", "job-4", "job-6");
    ProducerRecord<byte[], byte[]> job4 =
        producer.history().stream()
            .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("job-4"))
            .findFirst()
            .orElseThrow();
    assertThat(
            new String(
                job4.headers().lastHeader("rr.replay.source.partition").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("1");
    assertThat(
            new String(
                job4.headers().lastHeader("rr.replay.source.offset").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("0");
    assertThat(
            new String(job4.headers().lastHeader("rr.dlt.reason").value(), StandardCharsets.UTF_8))
        .isEqualTo("UNDECODABLE");
    assertThat(job4.value()).isEqualTo("value-of-job-4".getBytes(StandardCharsets.UTF_8));
    assertThat(out.toString())
        .contains("replay partition=1 offset=0 jobId=job-4 -> " + ACT_ONE + " replay=1");
  }

  @Test
  void dryRunPrintsWhatItWouldSendAndSendsNothing() throws InterruptedException {
    Replayer.Summary s =
        replay(DltFilter.all(), new Replayer.Settings(true, Optional.empty(), Long.MAX_VALUE));

    assertThat(producer.history()).isEmpty();
    assertThat(s.line()).isEqualTo("replayed=4 skipped=2 dry_run=true");
    assertThat(out.toString().lines().filter(l -> l.startsWith("would replay "))).hasSize(4);
    assertThat(out.toString()).doesNotContain("\nreplay ");
  }

  @Test
  void stopsAtMax() throws InterruptedException {
    Replayer.Summary s = replay(DltFilter.all(), new Replayer.Settings(false, Optional.empty(), 2));
    assertThat(s.replayed()).isEqualTo(2);
    assertThat(producer.history()).hasSize(2);
  }

  @Test
  void respectsTheRateCapOnTheInjectedClock() throws InterruptedException {
    TokenBucket bucket = new TokenBucket(2, 1, 1, () -> time.nanos);
    Replayer.Pace limiter = () -> bucket.acquire(time);
    long start = time.nanos;
    Replayer.Summary s =
        replay(DltFilter.all(), new Replayer.Settings(false, Optional.of(limiter), Long.MAX_VALUE));

    assertThat(s.replayed()).isEqualTo(4);
    // four sends at 2/s: the first at once, then three half-second waits
    assertThat(Duration.ofNanos(time.nanos - start))
        .isBetween(Duration.ofMillis(1499), Duration.ofMillis(1501));
    assertThat(time.sleeps).hasSize(3);
  }

  @Test
  void failedSendsAreCountedAndReported() {
    producer =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized void flush() {
            while (errorNext(new TimeoutException("broker gone"))) {
              // fail every pending send
            }
          }
        };
    assertThatThrownBy(() -> replay(reasons("UNDECODABLE"), all()))
        .isInstanceOf(CliException.class)
        .hasMessage("3 record(s) could not be sent; first error: broker gone");
    assertThat(out.toString()).contains("replayed=0 skipped=1 dry_run=false failed=3");
  }

  @Test
  void recordsWrittenAfterTheStartAreNotRead() throws InterruptedException {
    MockConsumer<byte[], byte[]> consumer =
        TestDlt.consumer(DLT, 1, List.of(record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 10)));
    DltReader reader = new DltReader(consumer, DLT, () -> time.nanos, Duration.ofSeconds(30));
    DltReader.Range range = reader.open(Optional.empty());
    consumer.schedulePollTask(
        () -> consumer.addRecord(record(0, 1, 2000, "late", "UNDECODABLE", RESTYLE, 11)));
    Replayer.Summary s =
        new Replayer(
                reader,
                producer,
                new ReplayPlanner(Optional.empty(), DLT, clock),
                all(),
                new PrintWriter(out, true),
                total -> ProgressBar.disabled())
            .run(DltFilter.all(), range);
    assertThat(s.replayed()).isEqualTo(1);
    assertThat(range.size()).isEqualTo(1);
  }
}
