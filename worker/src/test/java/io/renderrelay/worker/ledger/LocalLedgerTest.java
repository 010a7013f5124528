package io.renderrelay.worker.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.worker.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Takeover: restores run off the poll thread, partitions are ready one by one, checkpoints. */
class LocalLedgerTest {

  static final String TOPIC = "render.jobs";
  static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  final LedgerCodec codec = LedgerCodec.current();
  final InMemoryLedgerStore store = new InMemoryLedgerStore();
  final MockConsumer<byte[], byte[]> consumer =
      new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
  final ScheduledExecutorService restores = Executors.newSingleThreadScheduledExecutor();
  final LedgerRestorer restorer =
      new LedgerRestorer(
          () -> consumer,
          TOPIC,
          () -> "topic-a",
          store,
          codec,
          Clock.systemUTC(),
          Duration.ofSeconds(20));
  final Metrics metrics = Metrics.create(List.of("t"), Metrics.UnknownTagPolicy.REJECT);
  final RestoreProgress progress = new RestoreProgress(Optional.of(metrics));
  final LocalLedger ledger = new LocalLedger(store, restorer, restores, Optional.empty(), progress);

  @AfterEach
  void stop() throws InterruptedException {
    restores.shutdownNow();
    assertThat(restores.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void assignmentReturnsAtOnceAndEachPartitionBecomesReadyWhenRestored() throws Exception {
    offsets(Map.of(P0, 0L, P1, 0L), Map.of(P0, 2L, P1, 1L));
    add(entry(0, 0, "a"));
    // partition 1's entry is not there yet: a blocking restore would hold the caller

    assertTimeoutPreemptively(Duration.ofSeconds(2), () -> ledger.assigned(Set.of(0, 1)));
    assertThat(ledger.ready(1)).isFalse();
    assertThat(progress.restoring(1)).isTrue();

    add(entry(0, 1, "b"));
    awaitReady(0);
    assertThat(ledger.ready(1)).isFalse();
    assertThat(ledger.get(0, "a")).isPresent();
    assertThat(ledger.get(0, "b")).isPresent();

    assertThat(progress.restoring()).containsExactly(1);
    assertThat(metrics.scrape()).contains("render_relay_ledger_partitions_restoring 1.0");

    add(entry(1, 0, "c"));
    awaitReady(1);
    assertThat(ledger.get(1, "c")).isPresent();
    assertThat(progress.restoring()).isEmpty();
    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("render_relay_ledger_partitions_restoring 0.0")
        .contains("render_relay_ledger_restored_records_total{from=\"beginning\"} 3.0")
        .contains("render_relay_ledger_restore_seconds_count{from=\"beginning\"} 2");
  }

  @Test
  void aCheckpointedPartitionIsReadFromItsCheckpointAndKeepsItsEntries() throws Exception {
    store.put(0, LedgerExpiryTest.state("kept", JobPhase.COMPLETED, LedgerCodecTest.T0));
    store.checkpoint("topic-a", Map.of(0, 5L));
    offsets(Map.of(P0, 0L), Map.of(P0, 6L));
    add(entry(0, 5, "new"));

    ledger.assigned(Set.of(0));
    awaitReady(0);

    assertThat(ledger.get(0, "kept")).as("kept from before the restart").isPresent();
    assertThat(metrics.scrape())
        .contains("render_relay_ledger_restored_records_total{from=\"checkpoint\"} 1.0");
    assertThat(ledger.get(0, "new")).isPresent();
    assertThat(store.takeCheckpoint("topic-a", 0))
        .as("taken: the partition changes again")
        .isEmpty();
  }

  @Test
  void aCheckpointOfAnotherTopicIdIsIgnored() throws Exception {
    store.put(0, LedgerExpiryTest.state("old-topic", JobPhase.COMPLETED, LedgerCodecTest.T0));
    store.checkpoint("topic-before-recreation", Map.of(0, 1L));
    offsets(Map.of(P0, 0L), Map.of(P0, 2L));
    add(entry(0, 0, "x"));
    add(entry(0, 1, "y"));

    ledger.assigned(Set.of(0));
    awaitReady(0);

    assertThat(ledger.get(0, "old-topic")).isEmpty();
    assertThat(ledger.get(0, "x")).isPresent();
  }

  @Test
  void aCheckpointBeyondTheTopicsEndIsIgnoredAndThePartitionRestoredFromScratch() throws Exception {
    store.put(0, LedgerExpiryTest.state("other-cluster", JobPhase.COMPLETED, LedgerCodecTest.T0));
    store.checkpoint("topic-a", Map.of(0, 500L));
    offsets(Map.of(P0, 0L), Map.of(P0, 1L));
    add(entry(0, 0, "fresh"));

    ledger.assigned(Set.of(0));
    awaitReady(0);

    assertThat(ledger.get(0, "other-cluster")).isEmpty();
    assertThat(ledger.get(0, "fresh")).isPresent();
  }

  @Test
  void anEntryOfAnUnknownSchemaStopsTheRestoreOfItsPartitionInsteadOfBeingSkipped()
      throws Exception {
    offsets(Map.of(P0, 0L), Map.of(P0, 2L));
    add(entry(0, 0, "known"));
    add(
        new ConsumerRecord<>(
            TOPIC,
            0,
            1,
            "from-a-newer-release".getBytes(StandardCharsets.UTF_8),
            OlderSchemas.writeAs(
                LedgerExpiryTest.state(
                    "from-a-newer-release", JobPhase.POLLING, LedgerCodecTest.T0),
                LedgerCodecTest.newerJobState())));

    ledger.assigned(Set.of(0));
    Thread.sleep(1000);

    assertThat(ledger.ready(0)).as("stays paused, retried later").isFalse();
  }

  @Test
  void aPartitionLostDuringItsRestoreIsDroppedAndNeverBecomesReady() throws Exception {
    offsets(Map.of(P0, 0L), Map.of(P0, 2L));
    add(entry(0, 0, "a"));
    ledger.assigned(Set.of(0));
    Thread.sleep(300);

    ledger.lost(Set.of(0));
    assertThat(progress.restoring(0)).as("no longer this instance's to restore").isFalse();
    add(entry(0, 1, "b"));
    Thread.sleep(500);

    assertThat(ledger.ready(0)).isFalse();
    assertThat(ledger.get(0, "a")).isEmpty();
    assertThat(ledger.get(0, "b")).isEmpty();
  }

  @Test
  void aPartitionDroppedBeforeItsQueuedRestoreRanIsLaterRestoredWhole() throws Exception {
    // revoked earlier: its entries and a checkpoint stay in the store
    store.put(0, LedgerExpiryTest.state("early", JobPhase.COMPLETED, LedgerCodecTest.T0));
    store.checkpoint("topic-a", Map.of(0, 5L));
    CountDownLatch otherRestore = new CountDownLatch(1);
    restores.execute(
        () -> {
          try {
            otherRestore.await(10, TimeUnit.SECONDS); // the restore thread is busy elsewhere
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    ledger.assigned(Set.of(0)); // queued behind the other restore
    ledger.lost(Set.of(0)); // a rebalance takes it away again: its entries are cleared
    otherRestore.countDown();
    offsets(Map.of(P0, 0L), Map.of(P0, 6L));
    add(entry(0, 0, "early"));
    add(entry(0, 5, "late"));

    ledger.assigned(Set.of(0));
    awaitReady(0);

    assertThat(ledger.get(0, "early"))
        .as("the cleared partition is read from the beginning, not from the stale checkpoint")
        .isPresent();
    assertThat(ledger.get(0, "late")).isPresent();
  }

  /** A rebalance during a takeover, or a stall past the session timeout (lost) and a rejoin. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aPartitionRevokedAndAssignedAgainDuringItsRestoreIsRestoredAgainToTheNewEnd(boolean lost)
      throws Exception {
    // each restore has its own consumer, as the worker's bulk readers
    MockConsumer<byte[], byte[]> first =
        new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    MockConsumer<byte[], byte[]> second =
        new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
    java.util.Deque<MockConsumer<byte[], byte[]>> readers =
        new java.util.concurrent.LinkedBlockingDeque<>(List.of(first, second));
    LocalLedger twice =
        new LocalLedger(
            store,
            new LedgerRestorer(
                readers::removeFirst,
                TOPIC,
                () -> "topic-a",
                store,
                codec,
                Clock.systemUTC(),
                Duration.ofSeconds(20)),
            restores,
            Optional.empty(),
            progress);
    first.updateBeginningOffsets(new HashMap<>(Map.of(P0, 0L)));
    first.updateEndOffsets(new HashMap<>(Map.of(P0, 2L))); // the end when the takeover began
    first.schedulePollTask(() -> first.addRecord(entry(0, 0, "a")));
    twice.assigned(Set.of(0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (store.get(0, "a").isEmpty()) {
      assertThat(System.nanoTime()).as("first entry restored in time").isLessThan(deadline);
      Thread.sleep(20);
    }

    // a rebalance moves it away; its new owner runs jobs (offsets 2, 3); then it comes back
    if (lost) {
      twice.lost(Set.of(0)); // its entries are cleared: the first restore must not go on
    } else {
      twice.revoked(Set.of(0));
    }
    twice.assigned(Set.of(0));
    second.updateBeginningOffsets(new HashMap<>(Map.of(P0, 0L)));
    second.updateEndOffsets(new HashMap<>(Map.of(P0, 4L)));
    second.schedulePollTask(
        () -> {
          for (String id : List.of("a", "b", "c", "d")) {
            second.addRecord(entry(0, "abcd".indexOf(id), id));
          }
        });
    first.schedulePollTask(() -> first.addRecord(entry(0, 1, "b"))); // the first reaches its end

    while (!twice.ready(0)) {
      assertThat(System.nanoTime()).as("partition 0 restored in time").isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(twice.get(0, "d"))
        .as("written by the other owner after the first restore began")
        .isPresent();
    assertThat(twice.get(0, "a")).as("read again from the beginning").isPresent();
  }

  /** Adds the record at the restore consumer's next poll (it must be assigned by then). */
  void add(ConsumerRecord<byte[], byte[]> record) {
    consumer.schedulePollTask(() -> consumer.addRecord(record));
  }

  void offsets(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
    consumer.updateBeginningOffsets(new HashMap<>(begin));
    consumer.updateEndOffsets(new HashMap<>(end));
  }

  ConsumerRecord<byte[], byte[]> entry(int partition, long offset, String jobId) {
    return new ConsumerRecord<>(
        TOPIC,
        partition,
        offset,
        jobId.getBytes(StandardCharsets.UTF_8),
        codec.encode(LedgerExpiryTest.state(jobId, JobPhase.COMPLETED, LedgerCodecTest.T0)));
  }

  void awaitReady(int partition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!ledger.ready(partition)) {
      assertThat(System.nanoTime())
          .as("partition %d restored in time", partition)
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
