package io.renderrelay.worker.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The finishing half of the {@link PipelineLoop}, on its thread: takes finished steps into the
 * {@link Batch} (a failed first step is retried, any other failure given up to the router), and
 * every commit interval writes the batch's records, the ledger upkeep and the contiguous prefix of
 * consumed offsets in one Kafka transaction, which always carries the group generation. Only after
 * that commit do ledger entries reach the local store and continuations run. It owns the
 * transactional producer.
 */
final class StepCommitter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StepCommitter.class);

  /** Consecutive transactions the group refused (old generation) before the loop restarts. */
  private static final int MAX_REFUSED_COMMITS = 3;

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final RecordRouter router;
  private final LedgerApplier ledger;
  private final KeyedDispatcher dispatcher;
  private final PipelineSettings settings;
  private final PipelineListener listener;
  private final Clock clock;
  private final OwnedPartitions ownership;
  private final Batch batch;
  private Instant lastCommit;
  private int refusedCommits;

  StepCommitter(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      RecordRouter router,
      LedgerApplier ledger,
      KeyedDispatcher dispatcher,
      PipelineSettings settings,
      PipelineListener listener,
      Clock clock,
      OwnedPartitions ownership,
      Batch batch) {
    this.consumer = consumer;
    this.producer = producer;
    this.router = router;
    this.ledger = ledger;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.ownership = ownership;
    this.batch = batch;
    this.lastCommit = clock.instant();
  }

  /** Takes finished steps into the batch; results of partitions that moved are dropped. */
  void collect() {
    for (Completion c : dispatcher.drain()) {
      Work w = c.work();
      OwnedPartition owner = ownership.owner(w.source());
      if (owner == null || owner != w.lease() || !owner.valid()) {
        continue;
      }
      Completion done = c;
      if (c.error() != null) {
        listener.stepFailed(w, c.error());
        if (!w.afterCommit() && owner.draining()) {
          // nothing of this record was committed: the next owner runs it again from the record
          dispatcher.release(w.key());
          continue;
        }
        if (!w.afterCommit() && w.attempt() + 1 < settings.maxStepAttempts()) {
          log.warn("step failed, retrying key={} attempt={}", w.key(), w.attempt() + 1, c.error());
          dispatcher.continueWith(w.retry(), Duration.ofSeconds(1L << w.attempt()));
          continue;
        }
        log.error(
            "step failed, giving the record up key={} afterCommit={} (a step after a committed"
                + " effect is never re-run blindly)",
            w.key(),
            w.afterCommit(),
            c.error());
        done = new Completion(w, router.giveUp(w, c.error()), null);
      }
      if (done.result().sourceDone()) {
        owner.finished(w.offset());
      }
      batch.add(done);
    }
  }

  /**
   * Writes the batch and the offsets in one transaction. Every partition with results in the batch
   * sends its position even when it did not advance: an empty offset map is not sent at all, and
   * then the transaction would carry no group generation and a fenced owner could still commit.
   */
  void commitIfDue(boolean force) {
    Instant now = clock.instant();
    Duration sinceLast = Duration.between(lastCommit, now);
    // a clock set back (a new broker-clock estimate) must not hold commits back until it catches up
    if (!force && !sinceLast.isNegative() && sinceLast.compareTo(settings.commitInterval()) < 0) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = ownership.commitPoints(batch.sources());
    if (batch.isEmpty() && offsets.isEmpty()) {
      lastCommit = now;
      return;
    }
    int records;
    // ledger upkeep (tombstones past the dedupe horizon) rides only on transactions that carry
    // offsets, and so the group generation: a fenced owner cannot delete anything
    StepResult upkeep = offsets.isEmpty() ? StepResult.done() : ledger.upkeep(dispatcher::isBusy);
    producer.beginTransaction();
    try {
      records = batch.send(producer);
      for (ProducerRecord<byte[], byte[]> r : upkeep.records()) {
        producer.send(r);
        records++;
      }
      producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      TransactionCommitter.commit(producer);
    } catch (CommitFailedException e) {
      listener.transactionFailed(e);
      TransactionCommitter.abortQuietly(producer);
      refusedCommits++;
      if (refusedCommits >= MAX_REFUSED_COMMITS) {
        throw new PipelineRestartException("the group refused our generation: " + e, e);
      }
      // the member epoch may just have moved on: keep the batch, let the next poll run the
      // rebalance callbacks (which drop the results of partitions that moved), then try again
      log.warn(
          "transaction refused by the group coordinator, retrying after the next poll: {}",
          e.toString());
      return;
    } catch (RuntimeException e) {
      listener.transactionFailed(e);
      TransactionCommitter.abortQuietly(producer);
      throw new PipelineRestartException("transaction failed: " + e, e);
    }
    refusedCommits = 0;
    listener.transactionCommitted(records, offsets.size(), Duration.between(now, clock.instant()));
    ownership.committed(offsets);
    applyCommitted(batch.take(), upkeep);
    lastCommit = clock.instant();
  }

  /**
   * After the commit: the ledger entries reach the local store, then each step's continuation is
   * scheduled or its key released.
   */
  private void applyCommitted(List<Completion> done, StepResult upkeep) {
    for (Completion c : done) {
      c.result().ledger().forEach(ledger::apply);
    }
    upkeep.ledger().forEach(ledger::apply);
    for (Completion c : done) {
      StepResult result = c.result();
      if (result.next().isPresent()) {
        dispatcher.continueWith(c.work().next(result.next().get()), result.nextDelay());
      } else {
        dispatcher.release(c.work().key());
      }
    }
  }

  /** Closes the transactional producer (a transaction left open is aborted by the next one). */
  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
