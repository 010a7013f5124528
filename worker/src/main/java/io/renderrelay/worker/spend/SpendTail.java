package io.renderrelay.worker.spend;

import io.renderrelay.avro.SpendEntry;
import io.renderrelay.worker.kafka.RestartingReader;
import io.renderrelay.worker.ledger.InternalCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the spend journal (read_committed, partition 0) from the start of the previous UTC month
 * into a {@link SpendBook} and hands each entry to the guard. Every replica runs one, so every
 * replica sees the fleet's spend; {@link #caughtUp()} turns true once the journal as it was at
 * start has been read.
 */
final class SpendTail implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SpendTail.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final TopicPartition partition;
  private final InternalCodec<SpendEntry> codec;
  private final SpendBook book;
  private final Consumer<SpendEntry> onEntry;
  private final Clock clock;
  private final RestartingReader reader;
  private volatile boolean caughtUp;
  // the offset after the last entry applied to the book (-1: none yet); only the tail thread
  // touches it. A consumer built after a read error goes on from here: starting over from the
  // previous month would apply every entry a second time to the same book.
  private long next = -1;

  public SpendTail(
      Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers,
      String topic,
      InternalCodec<SpendEntry> codec,
      SpendBook book,
      Consumer<SpendEntry> onEntry,
      Clock clock) {
    this.partition = new TopicPartition(topic, 0);
    this.codec = codec;
    this.book = book;
    this.onEntry = onEntry;
    this.clock = clock;
    // an Error too restarts it: a reader thread that ended would freeze the book, and this replica
    // would decide on old spend, then hold every job waiting for a read-back that never comes
    this.reader =
        new RestartingReader(
            "rr-spend-tail",
            "the spend journal " + partition,
            consumers,
            this::follow,
            RETRY_PAUSE);
  }

  public SpendTail start() {
    reader.start();
    return this;
  }

  /** True once the journal has been read up to where it ended when reading started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void follow(
      org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c, BooleanSupplier closed) {
    c.assign(List.of(partition));
    Instant from = Periods.startOfPreviousMonth(clock.instant());
    long end = c.endOffsets(List.of(partition)).get(partition);
    if (next >= 0) {
      c.seek(partition, next);
    } else {
      Map<TopicPartition, OffsetAndTimestamp> start =
          c.offsetsForTimes(Map.of(partition, from.toEpochMilli()));
      OffsetAndTimestamp at = start.get(partition);
      c.seek(partition, at == null ? end : at.offset());
    }
    book.forgetBefore(Periods.day(from));
    while (!closed.getAsBoolean()) {
      book.forgetBefore(Periods.day(Periods.startOfPreviousMonth(clock.instant())));
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        apply(r);
      }
      if (!caughtUp && c.position(partition) >= end) {
        caughtUp = true;
        log.info("spend journal {} read up to offset {} (from {})", partition, end, from);
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    next = r.offset() + 1;
    SpendEntry e;
    try {
      e = codec.decode(r.value());
    } catch (RuntimeException ex) {
      log.error(
          "spend journal entry at {}-{} cannot be read, not counted: {}",
          r.partition(),
          r.offset(),
          ex.getMessage());
      return;
    }
    book.apply(e);
    onEntry.accept(e);
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
