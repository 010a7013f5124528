package io.renderrelay.worker.engine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one consumer thread. It takes records, holds delay-topic partitions paused until
 * their head is due, hands work to the {@link KeyedDispatcher}, and every commit interval writes
 * the finished steps' records, ledger entries and the contiguous prefix of consumed offsets in one
 * Kafka transaction, which always carries the group generation. Ledger entries reach the local
 * store only after that commit. Each owned partition has one {@link OwnedPartition}; a revoke, a
 * loss and a shutdown all end partitions through {@link OwnedPartitions}.
 */
public final class PipelineLoop implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineLoop.class);

  /** Consecutive transactions the group refused (old generation) before the loop restarts. */
  private static final int MAX_REFUSED_COMMITS = 3;

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final RecordRouter router;
  private final KeyedDispatcher dispatcher;
  private final PipelineSettings settings;
  private final BooleanSupplier commandsAllowed;
  private final PipelineListener listener;
  private final Clock clock;
  private final LedgerApplier ledger;
  private final Batch batch = new Batch();
  private final OwnedPartitions ownership;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private Instant lastCommit;
  private Instant lastLagReport = Instant.EPOCH;
  private boolean backpressure;
  private boolean commitDeferred;
  private int refusedCommits;
  private volatile boolean drainedInTime = true;

  public PipelineLoop(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      RecordRouter router,
      LedgerApplier ledger,
      KeyedDispatcher dispatcher,
      PipelineSettings settings,
      BooleanSupplier commandsAllowed,
      PipelineListener listener,
      Clock clock) {
    this.consumer = consumer;
    this.producer = producer;
    this.router = router;
    this.ledger = ledger;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.commandsAllowed = commandsAllowed;
    this.listener = listener;
    this.clock = clock;
    this.ownership =
        new OwnedPartitions(this, consumer, dispatcher, batch, ledger, listener, settings);
    this.lastCommit = clock.instant();
  }

  /** Subscribes and runs until {@link #stop()}; then drains within the grace period. */
  @Override
  public void run() {
    running.set(true);
    try {
      List<String> topics = new ArrayList<>(settings.commandTopics());
      topics.addAll(settings.delayTopics().keySet());
      consumer.subscribe(topics, ownership);
      while (!stopping.get()) {
        iterate();
      }
      drainedInTime = ownership.drainAll("shutdown");
    } finally {
      running.set(false);
    }
  }

  /** Asks the loop to stop taking records, finish running steps and commit. */
  public void stop() {
    stopping.set(true);
    consumer.wakeup();
  }

  public boolean isRunning() {
    return running.get();
  }

  /** False when the shutdown drain was ended by its grace period with steps still running. */
  public boolean drainedInTime() {
    return drainedInTime;
  }

  private void iterate() {
    try {
      Duration timeout = dispatcher.inFlight() > 0 ? Duration.ofMillis(10) : settings.pollTimeout();
      intake(consumer.poll(ownership.pollTimeout(clock.instant(), timeout)));
    } catch (WakeupException e) {
      if (!stopping.get()) {
        throw e;
      }
    }
    dispatcher.startReady();
    collect();
    // A tier whose head fell due while the poll waited is resumed before the commit, and the commit
    // waits one poll (once; never twice in a row) so that the due tickets are fetched and taken
    // in first: the commit is synchronous (hundreds of ms on a loaded broker) and the consumer
    // fetches a resumed partition only in its next poll.
    boolean resumedDue = adjustPauses();
    if (resumedDue && !commitDeferred) {
      commitDeferred = true;
    } else {
      commitDeferred = false;
      commitIfDue(false);
    }
  }

  private void intake(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    Set<TopicPartition> held = new HashSet<>();
    Instant now = clock.instant();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      OwnedPartition owner = ownership.owner(tp);
      if (owner == null || owner.draining() || held.contains(tp)) {
        continue;
      }
      if (!ledger.ready(r.partition())) {
        // its ledger partition is still restoring: wait, paused, until it caught up
        consumer.seek(tp, r.offset());
        held.add(tp);
        continue;
      }
      Duration tierDelay = settings.delayTopics().get(r.topic());
      OptionalLong due = tierDelay == null ? OptionalLong.empty() : DelayHeaders.due(r.headers());
      if (due.isPresent()) {
        Instant until =
            owner.holdUntil(r.offset(), Instant.ofEpochMilli(due.getAsLong()), now, tierDelay);
        if (until.isAfter(now)) {
          consumer.seek(tp, r.offset());
          held.add(tp);
          continue;
        }
        listener.pollLateness(r.topic(), Duration.ofMillis(now.toEpochMilli() - due.getAsLong()));
      }
      String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      owner.started(r.offset());
      dispatcher.submit(Work.first(r, key, owner, router.route(r, owner)));
    }
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
    List<Completion> done = batch.take();
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
    lastCommit = clock.instant();
  }

  /**
   * Pauses what must wait: delay-topic partitions until their head is due, partitions being handed
   * over, and command topics while intake is closed or too much is in flight (backpressure). Poll
   * tiers are never paused for backpressure: running jobs keep being polled. True when a
   * delay-topic partition was resumed (its head fell due).
   */
  private boolean adjustPauses() {
    Instant now = clock.instant();
    boolean overloaded = dispatcher.inFlight() + dispatcher.queued() >= settings.maxInFlight();
    if (overloaded != backpressure) {
      backpressure = overloaded;
      listener.backpressure(overloaded);
    }
    boolean intakeOpen = commandsAllowed.getAsBoolean();
    Set<TopicPartition> wanted = ownership.mustWait(now);
    for (TopicPartition tp : ownership.partitions()) {
      boolean command = settings.commandTopics().contains(tp.topic());
      if ((command && (overloaded || !intakeOpen)) || !ledger.ready(tp.partition())) {
        wanted.add(tp);
      }
    }
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> toPause = wanted.stream().filter(tp -> !paused.contains(tp)).toList();
    // only partitions still owned: a partition paused while it drained is gone now
    List<TopicPartition> toResume =
        paused.stream().filter(tp -> !wanted.contains(tp) && ownership.owner(tp) != null).toList();
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
    listener.inFlight(dispatcher.inFlight(), dispatcher.queued());
    reportLag(now);
    return toResume.stream().anyMatch(tp -> settings.delayTopics().containsKey(tp.topic()));
  }

  private void reportLag(Instant now) {
    if (Duration.between(lastLagReport, now).compareTo(Duration.ofSeconds(1)) < 0) {
      return;
    }
    lastLagReport = now;
    Map<String, Long> byTopic = new HashMap<>();
    for (TopicPartition tp : ownership.partitions()) {
      consumer.currentLag(tp).ifPresent(l -> byTopic.merge(tp.topic(), l, Long::sum));
    }
    byTopic.forEach(listener::lag);
  }

  @Override
  public void close() {
    ownership.endAll();
    try {
      consumer.close(Duration.ofSeconds(5));
    } finally {
      try {
        producer.close(Duration.ofSeconds(5));
      } finally {
        dispatcher.close();
        ledger.close();
      }
    }
  }
}
