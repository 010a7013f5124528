package io.renderrelay.worker.spend;

import io.renderrelay.avro.SpendEntry;
import io.renderrelay.worker.ledger.InternalCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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

  private final Supplier<org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>> consumers;
  private final TopicPartition partition;
  private final InternalCodec<SpendEntry> codec;
  private final SpendBook book;
  private final Consumer<SpendEntry> onEntry;
  private final Clock clock;
  private final Thread thread;
  private volatile boolean caughtUp;
  private volatile boolean closed;
  private volatile org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer;
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
    this.consumers = consumers;
    this.partition = new TopicPartition(topic, 0);
    this.codec = codec;
    this.book = book;
    this.onEntry = onEntry;
    this.clock = clock;
    this.thread = Thread.ofPlatform().name("rr-spend-tail").daemon().unstarted(this::run);
  }

  public SpendTail start() {
    thread.start();
    return this;
  }

  /** True once the journal has been read up to where it ended when reading started. */
  public boolean caughtUp() {
    return caughtUp;
  }

  private void run() {
    while (!closed) {
      try (var c = consumers.get()) {
        consumer = c;
        follow(c);
      } catch (WakeupException | InterruptException e) {
        return;
      } catch (RuntimeException | Error e) {
        // an Error too: a reader thread that ended would freeze the book, and this replica would
        // decide on old spend, then hold every job waiting for a read-back that never comes
        if (closed) {
          return;
        }
        log.warn("reading the spend journal {} failed, starting over: {}", partition, e.toString());
        sleepQuietly();
      }
    }
  }

  private void follow(org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> c) {
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
    while (!closed) {
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

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    var c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(Duration.ofSeconds(5));
  }
}
