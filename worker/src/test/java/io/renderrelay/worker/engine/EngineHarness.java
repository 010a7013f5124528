package io.renderrelay.worker.engine;

import io.renderrelay.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The engine without a broker: a {@link MockConsumer} whose group generation a test moves (as the
 * coordinator does when a stalled member is fenced), a transactional {@link MockProducer} that
 * refuses offsets of an old generation (as the group coordinator answers a TxnOffsetCommit) and
 * records every committed transaction, a hand-moved clock, and the loop on its own thread.
 */
final class EngineHarness implements AutoCloseable {

  static final String COMMANDS = "cmd";
  static final String TIER = "poll.10s";
  static final Duration TIER_DELAY = Duration.ofSeconds(10);
  static final String OUT = "out";
  static final Duration WAIT = Duration.ofSeconds(10);

  final GroupConsumer consumer = new GroupConsumer();
  final FencingProducer producer = new FencingProducer();
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final RecordingLedger ledger = new RecordingLedger();
  final KeyedDispatcher dispatcher = new KeyedDispatcher();
  final AtomicBoolean commandsAllowed = new AtomicBoolean(true);
  final AtomicReference<Throwable> loopError = new AtomicReference<>();
  private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
  private PipelineLoop loop;
  private Thread thread;

  EngineHarness() {
    producer.initTransactions();
  }

  static PipelineSettings settings(int maxInFlight, Duration drainGrace) {
    return PipelineSettings.forTopics(Set.of(COMMANDS), Map.of(TIER, TIER_DELAY))
        .withMaxInFlight(maxInFlight)
        .withDrainGrace(drainGrace)
        .withPollTimeout(Duration.ofMillis(5));
  }

  /** Starts the loop with {@code partitions} assigned. */
  void start(PipelineSettings settings, RecordRouter router, TopicPartition... partitions) {
    BooleanSupplier allowed = commandsAllowed::get;
    loop =
        new PipelineLoop(
            consumer,
            producer,
            router,
            ledger,
            dispatcher,
            settings,
            allowed,
            PipelineListener.NONE,
            clock);
    for (TopicPartition tp : partitions) {
      consumer.updateBeginningOffsets(Map.of(tp, 0L));
    }
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(partitions)));
    thread =
        Thread.ofPlatform()
            .name("engine-harness-loop")
            .daemon()
            .start(
                () -> {
                  try {
                    loop.run();
                  } catch (Throwable t) {
                    loopError.set(t);
                  }
                });
  }

  PipelineLoop loop() {
    return loop;
  }

  /** Appends a record to a partition; the loop takes it at its next poll. */
  ConsumerRecord<byte[], byte[]> add(TopicPartition tp, String key, String value, Long due) {
    long offset;
    synchronized (nextOffset) {
      offset = nextOffset.merge(tp, 1L, Long::sum) - 1;
    }
    RecordHeaders headers = new RecordHeaders();
    if (due != null) {
      headers.add(DelayHeaders.DUE, DelayHeaders.encode(due));
    }
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>(
            tp.topic(),
            tp.partition(),
            offset,
            clock.millis(),
            TimestampType.CREATE_TIME,
            -1,
            -1,
            key.getBytes(StandardCharsets.UTF_8),
            value.getBytes(StandardCharsets.UTF_8),
            headers,
            Optional.empty());
    consumer.append(r);
    return r;
  }

  /** Moves the assignment to {@code partitions} at the loop's next poll (incremental callbacks). */
  void reassign(TopicPartition... partitions) {
    for (TopicPartition tp : partitions) {
      consumer.updateBeginningOffsets(Map.of(tp, 0L));
    }
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(partitions)));
  }

  /** Stops the loop as SIGTERM does; true when the loop thread ended within {@code within}. */
  boolean stop(Duration within) throws InterruptedException {
    // from another thread: a loop stuck inside a poll holds the consumer, and stop() wakes it up
    Thread.ofPlatform().daemon().name("engine-harness-stop").start(loop::stop);
    thread.join(within.toMillis());
    return !thread.isAlive();
  }

  boolean loopAlive() {
    return thread != null && thread.isAlive();
  }

  /** Like {@link #await}, failing with the loop's error or its thread's stack when it times out. */
  void awaitLoop(String what, BooleanSupplier condition) {
    try {
      await(what, condition);
    } catch (AssertionError e) {
      AssertionError detailed =
          new AssertionError(
              e.getMessage()
                  + "; loop error: "
                  + loopError.get()
                  + "; loop thread: "
                  + java.util.Arrays.toString(thread.getStackTrace()));
      detailed.initCause(loopError.get());
      throw detailed;
    }
  }

  static void await(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  static ProducerRecord<byte[], byte[]> out(String key, String value) {
    return new ProducerRecord<>(
        OUT, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws InterruptedException {
    if (loop != null && thread.isAlive()) {
      stop(WAIT);
    }
    dispatcher.close();
  }

  /**
   * A consumer whose group generation the test moves, whose polls wait like a real one, and which
   * keeps its records as a log does: a seek back delivers them again.
   */
  static final class GroupConsumer extends MockConsumer<byte[], byte[]> {
    volatile int generation = 1;
    private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> log = new HashMap<>();

    void append(ConsumerRecord<byte[], byte[]> r) {
      schedulePollTask(
          () -> {
            log.computeIfAbsent(
                    new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                .add(r);
            addRecord(r);
          });
    }

    @Override
    public synchronized void seek(TopicPartition tp, long offset) {
      super.seek(tp, offset);
      for (ConsumerRecord<byte[], byte[]> r : log.getOrDefault(tp, List.of())) {
        if (r.offset() >= offset) {
          addRecord(r);
        }
      }
    }

    GroupConsumer() {
      super("earliest");
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
      return new ConsumerGroupMetadata("group", generation, "member-1", Optional.empty());
    }

    @Override
    public synchronized ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      ConsumerRecords<byte[], byte[]> out = super.poll(timeout);
      if (out.isEmpty()) {
        try {
          wait(Math.max(1, Math.min(2, timeout.toMillis())));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return out;
    }
  }

  /** One committed transaction: what it wrote and with which group generation. */
  record Tx(
      List<ProducerRecord<byte[], byte[]>> records,
      Map<TopicPartition, OffsetAndMetadata> offsets,
      int generation) {}

  /**
   * A transactional producer that answers as the group coordinator does: offsets sent with an old
   * generation fail the transaction (CommitFailedException, abortable); an empty offset map is not
   * sent at all (as KafkaProducer does), so it carries no generation.
   */
  static final class FencingProducer extends MockProducer<byte[], byte[]> {
    volatile int coordinatorGeneration = 1;

    /** Runs when offsets are refused (e.g. the consumer learns the new epoch). */
    volatile Runnable onRefusal = () -> {};

    /** Runs on the committing thread as a transaction commits (what the loop did before it). */
    volatile Runnable onCommit = () -> {};

    final List<Tx> committed = new CopyOnWriteArrayList<>();
    final List<RuntimeException> failures = new CopyOnWriteArrayList<>();
    private List<ProducerRecord<byte[], byte[]>> txRecords = new ArrayList<>();
    private Map<TopicPartition, OffsetAndMetadata> txOffsets = new HashMap<>();
    private int txGeneration = -1;
    private RuntimeException txError;

    FencingProducer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized void beginTransaction() {
      super.beginTransaction();
      txRecords = new ArrayList<>();
      txOffsets = new HashMap<>();
      txGeneration = -1;
      txError = null;
    }

    @Override
    public synchronized java.util.concurrent.Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record) {
      txRecords.add(record);
      return super.send(record);
    }

    @Override
    public synchronized void sendOffsetsToTransaction(
        Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
      if (offsets.isEmpty()) {
        return;
      }
      if (group.generationId() != coordinatorGeneration) {
        txError =
            new CommitFailedException(
                "generation " + group.generationId() + " is not " + coordinatorGeneration);
        failures.add(txError);
        onRefusal.run();
        throw txError;
      }
      super.sendOffsetsToTransaction(offsets, group);
      txOffsets.putAll(offsets);
      txGeneration = group.generationId();
    }

    @Override
    public synchronized void commitTransaction() {
      if (txError != null) {
        throw new org.apache.kafka.common.KafkaException(
            "cannot commit after an abortable error", txError);
      }
      onCommit.run();
      super.commitTransaction();
      committed.add(new Tx(List.copyOf(txRecords), Map.copyOf(txOffsets), txGeneration));
    }

    List<String> committedValues() {
      List<String> out = new ArrayList<>();
      committed.forEach(tx -> tx.records().forEach(r -> out.add(text(r.value()))));
      return out;
    }

    /** The highest offset committed for {@code tp}, or -1. */
    long committedOffset(TopicPartition tp) {
      long max = -1;
      for (Tx tx : committed) {
        OffsetAndMetadata om = tx.offsets().get(tp);
        if (om != null) {
          max = Math.max(max, om.offset());
        }
      }
      return max;
    }
  }

  /** The local ledger as the loop drives it: applied writes and ownership calls. */
  static final class RecordingLedger implements LedgerApplier {
    final List<LedgerWrite> applied = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void apply(LedgerWrite write) {
      applied.add(write);
    }

    @Override
    public void assigned(Set<Integer> partitions) {
      calls.add("assigned " + sorted(partitions));
    }

    @Override
    public void revoked(Set<Integer> partitions) {
      calls.add("revoked " + sorted(partitions));
    }

    @Override
    public void lost(Set<Integer> partitions) {
      calls.add("lost " + sorted(partitions));
    }

    private static List<Integer> sorted(Collection<Integer> partitions) {
      return partitions.stream().sorted().toList();
    }
  }
}
