package io.renderrelay.worker.engine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's one consumer thread. It takes records, holds delay-topic partitions paused until
 * their head is due, hands work to the {@link KeyedDispatcher}, and every commit interval writes
 * the finished steps' records, ledger entries and the contiguous prefix of consumed offsets in one
 * Kafka transaction. Ledger entries reach the local store only after that commit.
 */
public final class PipelineLoop implements Runnable, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final RecordRouter router;
  private final LedgerApplier ledger;
  private final KeyedDispatcher dispatcher;
  private final PipelineSettings settings;
  private final BooleanSupplier commandsAllowed;
  private final PipelineListener listener;
  private final Clock clock;
  private final OffsetTracker tracker = new OffsetTracker();
  private final DuePauses duePauses = new DuePauses();
  private final List<Completion> batch = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private volatile int generation;
  private Instant lastCommit;
  private Instant lastLagReport = Instant.EPOCH;
  private boolean backpressure;
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
    this.lastCommit = clock.instant();
  }

  /** Subscribes and runs until {@link #stop()}; then drains within the grace period. */
  @Override
  public void run() {
    running.set(true);
    try {
      List<String> topics = new ArrayList<>(settings.commandTopics());
      topics.addAll(settings.delayTopics().keySet());
      consumer.subscribe(topics, new Rebalance());
      while (!stopping.get()) {
        iterate();
      }
      drain("shutdown");
    } finally {
      running.set(false);
    }
  }

  /** Asks the loop to stop taking records, finish in-flight work and commit. */
  public void stop() {
    stopping.set(true);
    consumer.wakeup();
  }

  public boolean isRunning() {
    return running.get();
  }

  /** False when a drain (shutdown or revoke) was ended by its grace period with work in flight. */
  public boolean drainedInTime() {
    return drainedInTime;
  }

  private void iterate() {
    try {
      Duration timeout = dispatcher.inFlight() > 0 ? Duration.ofMillis(10) : settings.pollTimeout();
      intake(consumer.poll(duePauses.timeout(clock.instant(), timeout)));
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      if (!stopping.get()) {
        throw e;
      }
    }
    dispatcher.startReady();
    collect();
    commitIfDue(false);
    adjustPauses();
  }

  private void intake(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    Set<TopicPartition> held = new HashSet<>();
    Instant now = clock.instant();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (held.contains(tp)) {
        continue;
      }
      if (!ledger.ready(r.partition())) {
        consumer.seek(tp, r.offset());
        held.add(tp);
        continue;
      }
      if (settings.delayTopics().containsKey(r.topic())) {
        OptionalLong due = DelayHeaders.due(r.headers());
        if (due.isPresent() && due.getAsLong() > now.toEpochMilli()) {
          consumer.seek(tp, r.offset());
          duePauses.hold(tp, Instant.ofEpochMilli(due.getAsLong()));
          held.add(tp);
          continue;
        }
        due.ifPresent(
            d -> listener.pollLateness(r.topic(), Duration.ofMillis(now.toEpochMilli() - d)));
      }
      String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
      tracker.started(tp, r.offset());
      int taken = generation;
      Lease lease = () -> generation == taken;
      dispatcher.submit(new Work(r, key, taken, 0, router.route(r, lease)));
    }
  }

  private void collect() {
    for (Completion c : dispatcher.drain()) {
      if (c.work().generation() != generation) {
        continue;
      }
      Completion done = c;
      if (c.error() != null) {
        listener.stepFailed(c.work(), c.error());
        if (c.work().attempt() + 1 < settings.maxStepAttempts()) {
          log.warn(
              "step failed, retrying key={} attempt={}",
              c.work().key(),
              c.work().attempt() + 1,
              c.error());
          dispatcher.continueWith(c.work().retry(), Duration.ofSeconds(1L << c.work().attempt()));
          continue;
        }
        log.error("step failed for good, giving the record up key={}", c.work().key(), c.error());
        done = new Completion(c.work(), router.giveUp(c.work(), c.error()), null);
      }
      if (done.result().sourceDone()) {
        tracker.finished(done.work().source(), done.work().offset());
      }
      batch.add(done);
    }
  }

  private void commitIfDue(boolean force) {
    Instant now = clock.instant();
    if (!force && Duration.between(lastCommit, now).compareTo(settings.commitInterval()) < 0) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable();
    if (batch.isEmpty() && offsets.isEmpty()) {
      lastCommit = now;
      return;
    }
    int records = 0;
    StepResult upkeep = offsets.isEmpty() ? StepResult.done() : ledger.upkeep(dispatcher::isBusy);
    producer.beginTransaction();
    try {
      for (Completion c : batch) {
        for (ProducerRecord<byte[], byte[]> r : c.result().records()) {
          producer.send(r);
          records++;
        }
      }
      for (ProducerRecord<byte[], byte[]> r : upkeep.records()) {
        producer.send(r);
        records++;
      }
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      TransactionCommitter.commit(producer);
    } catch (RuntimeException e) {
      listener.transactionFailed(e);
      TransactionCommitter.abortQuietly(producer);
      throw new PipelineRestartException("transaction failed: " + e, e);
    }
    listener.transactionCommitted(records, offsets.size(), Duration.between(now, clock.instant()));
    tracker.committed(offsets);
    for (Completion c : batch) {
      c.result().ledger().forEach(ledger::apply);
    }
    upkeep.ledger().forEach(ledger::apply);
    for (Completion c : batch) {
      StepResult result = c.result();
      if (result.next().isPresent()) {
        dispatcher.continueWith(c.work().next(result.next().get()), result.nextDelay());
      } else {
        dispatcher.release(c.work().key());
      }
    }
    batch.clear();
    lastCommit = clock.instant();
  }

  private void adjustPauses() {
    Instant now = clock.instant();
    duePauses.releaseDue(now);
    boolean overloaded = dispatcher.inFlight() + dispatcher.queued() >= settings.maxInFlight();
    if (overloaded != backpressure) {
      backpressure = overloaded;
      listener.backpressure(overloaded);
    }
    boolean intakeOpen = commandsAllowed.getAsBoolean();
    Set<TopicPartition> wanted = new HashSet<>(duePauses.held());
    for (TopicPartition tp : assigned) {
      boolean command = settings.commandTopics().contains(tp.topic());
      if (overloaded || (command && !intakeOpen) || !ledger.ready(tp.partition())) {
        wanted.add(tp);
      }
    }
    Set<TopicPartition> paused = consumer.paused();
    List<TopicPartition> toPause = wanted.stream().filter(tp -> !paused.contains(tp)).toList();
    List<TopicPartition> toResume = paused.stream().filter(tp -> !wanted.contains(tp)).toList();
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
    listener.inFlight(dispatcher.inFlight(), dispatcher.queued());
    reportLag(now);
  }

  private void reportLag(Instant now) {
    if (Duration.between(lastLagReport, now).compareTo(Duration.ofSeconds(1)) < 0) {
      return;
    }
    lastLagReport = now;
    Map<String, Long> byTopic = new HashMap<>();
    for (TopicPartition tp : assigned) {
      consumer.currentLag(tp).ifPresent(l -> byTopic.merge(tp.topic(), l, Long::sum));
    }
    byTopic.forEach(listener::lag);
  }

  /** Waits for in-flight work (bounded by the drain grace) and commits what finished. */
  private void drain(String why) {
    Instant deadline = clock.instant().plus(settings.drainGrace());
    consumer.pause(consumer.assignment());
    while (dispatcher.inFlight() > 0 || dispatcher.busyKeys() > 0 || !batch.isEmpty()) {
      if (clock.instant().isAfter(deadline)) {
        log.warn(
            "drain for {} ended by its grace period with {} steps in flight; their records stay"
                + " uncommitted and will be processed again by the next owner",
            why,
            dispatcher.inFlight());
        drainedInTime = false;
        break;
      }
      dispatcher.startReady();
      collect();
      commitIfDue(true);
      sleepBriefly();
    }
    commitIfDue(true);
    log.info("drain for {} done, work committed (in time: {})", why, drainedInTime);
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
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

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      drain("revoke of " + partitions.size() + " partitions");
      generation++;
      dispatcher.reset();
      tracker.clear();
      duePauses.clear();
      batch.clear();
      assigned.removeAll(partitions);
      ledger.revoked(partitionNumbers(partitions));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      generation++;
      dispatcher.reset();
      tracker.clear();
      duePauses.clear();
      batch.clear();
      assigned.removeAll(partitions);
      ledger.lost(partitionNumbers(partitions));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assigned.addAll(partitions);
      Set<Integer> owned = partitionNumbers(assigned);
      ledger.assigned(owned);
      listener.partitionsOwned(owned);
    }
  }

  private static Set<Integer> partitionNumbers(Collection<TopicPartition> partitions) {
    Set<Integer> out = new HashSet<>();
    partitions.forEach(tp -> out.add(tp.partition()));
    return out;
  }

  /** Delay-topic partitions held until their head record is due. */
  private static final class DuePauses {
    private final Map<TopicPartition, Instant> until = new HashMap<>();

    void hold(TopicPartition tp, Instant due) {
      until.put(tp, due);
    }

    Set<TopicPartition> held() {
      return until.keySet();
    }

    void releaseDue(Instant now) {
      until.values().removeIf(due -> !due.isAfter(now));
    }

    Duration timeout(Instant now, Duration max) {
      Duration t = max;
      for (Instant due : until.values()) {
        Duration d = Duration.between(now, due);
        if (d.compareTo(t) < 0) {
          t = d.isNegative() ? Duration.ZERO : d;
        }
      }
      return t;
    }

    void clear() {
      until.clear();
    }
  }
}
