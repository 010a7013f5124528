package io.renderrelay.worker.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.avro.SpendKind;
import io.renderrelay.worker.ledger.InternalCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The journal reader: a restart after a read error goes on where it was, counting nothing twice.
 */
class SpendTailTest {

  private static final String TOPIC = "render.spend";
  private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private final InternalCodec<SpendEntry> codec =
      InternalCodec.spendEntries(ReleasedSchemas.load());
  private final List<SpendEntry> journal = new ArrayList<>();

  /** The journal topic as one consumer sees it (MockConsumer has no offsetsForTimes). */
  private final class JournalConsumer extends MockConsumer<byte[], byte[]> {
    JournalConsumer(boolean failOnceRead) {
      this(failOnceRead, false);
    }

    JournalConsumer(boolean failOnceRead, boolean errorOnceRead) {
      super("earliest");
      updateBeginningOffsets(Map.of(TP, 0L));
      updateEndOffsets(Map.of(TP, (long) journal.size()));
      schedulePollTask(
          () -> {
            for (int i = (int) position(TP); i < journal.size(); i++) {
              SpendEntry e = journal.get(i);
              addRecord(
                  new ConsumerRecord<>(
                      TOPIC,
                      0,
                      i,
                      e.getTenant().getBytes(StandardCharsets.UTF_8),
                      codec.encode(e)));
            }
          });
      if (failOnceRead) {
        schedulePollTask(() -> setPollException(new KafkaException("broker went away")));
      }
      if (errorOnceRead) {
        schedulePollTask(
            () -> {
              throw new NoClassDefFoundError("a jar went missing under a running JVM");
            });
      }
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
        Map<TopicPartition, Long> timestamps) {
      Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
      timestamps.keySet().forEach(tp -> out.put(tp, new OffsetAndTimestamp(0, 0)));
      return out;
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> ps) {
      return Map.of(TP, (long) journal.size());
    }
  }

  private void reserved(String id, long micros) {
    journal.add(
        SpendEntry.newBuilder()
            .setId(id)
            .setJobId(id.substring(0, id.indexOf('#')))
            .setKind(SpendKind.RESERVED)
            .setTenant("acme")
            .setJobType(JobType.RESTYLE)
            .setCostMicros(micros)
            .setCurrency("USD")
            .setDay("2026-12-06")
            .setMonth("2026-12")
            .setAt(NOW)
            .setWriter("w-1")
            .build());
  }

  @Test
  void aReadErrorAfterEntriesWereCountedDoesNotCountThemAgain() throws Exception {
    reserved("a#1", 100_000);
    reserved("b#1", 100_000);
    reserved("c#1", 100_000);
    SpendBook book = new SpendBook();
    AtomicInteger consumers = new AtomicInteger();
    List<SpendEntry> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    try (SpendTail tail =
        new SpendTail(
                () -> new JournalConsumer(consumers.getAndIncrement() == 0),
                TOPIC,
                codec,
                book,
                seen::add,
                Clock.fixed(NOW, ZoneOffset.UTC))
            .start()) {
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumers.get() < 2 || !tail.caughtUp()) {
        assertThat(System.nanoTime()).as("tail restarted within 10 s").isLessThan(until);
        Thread.sleep(20);
      }
      Thread.sleep(300); // the second consumer's polls
    }
    assertThat(book.spent(Optional.empty(), "2026-12")).isEqualTo(300_000);
    assertThat(seen).hasSize(3);
  }

  // an Error (not an Exception) out of the reader ended its thread: the book froze, this replica
  // decided on old spend and, after its next reservation, held every job forever without a word
  @Test
  void anErrorInTheReaderRestartsItInsteadOfFreezingTheBook() throws Exception {
    reserved("a#1", 100_000);
    reserved("b#1", 100_000);
    SpendBook book = new SpendBook();
    AtomicInteger consumers = new AtomicInteger();
    try (SpendTail tail =
        new SpendTail(
                () -> new JournalConsumer(false, consumers.getAndIncrement() == 0),
                TOPIC,
                codec,
                book,
                e -> {},
                Clock.fixed(NOW, ZoneOffset.UTC))
            .start()) {
      long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumers.get() < 2 || !tail.caughtUp()) {
        assertThat(System.nanoTime()).as("tail restarted within 10 s").isLessThan(until);
        Thread.sleep(20);
      }
      Thread.sleep(300); // the second consumer's polls
    }
    assertThat(book.spent(Optional.empty(), "2026-12")).isEqualTo(200_000);
  }
}
