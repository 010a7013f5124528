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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The worker's one consumer thread. It takes records, holds delay-topic partitions paused until
 * their head is due, hands work to the {@link KeyedDispatcher}, and has the {@link StepCommitter}
 * write the finished steps' records, ledger entries and the contiguous prefix of consumed offsets
 * in one Kafka transaction every commit interval. Each owned partition has one {@link
 * OwnedPartition}; a revoke, a loss and a shutdown all end partitions through {@link
 * OwnedPartitions}.
 */
public final class PipelineLoop implements Runnable, AutoCloseable {

  private final Consumer<byte[], byte[]> consumer;
  private final RecordRouter router;
  private final KeyedDispatcher dispatcher;
  private final PipelineSettings settings;
  private final BooleanSupplier commandsAllowed;
  private final PipelineListener listener;
  private final Clock clock;
  private final LedgerApplier ledger;
  private final OwnedPartitions ownership;
  private final StepCommitter commits;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean running = new AtomicBoolean();
  private Instant lastLagReport = Instant.EPOCH;
  private boolean backpressure;
  private boolean commitDeferred;
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
    this.router = router;
    this.ledger = ledger;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.commandsAllowed = commandsAllowed;
    this.listener = listener;
    this.clock = clock;
    Batch batch = new Batch();
    this.ownership =
        new OwnedPartitions(
            this::commitNow, consumer, dispatcher, batch, ledger, listener, settings);
    this.commits =
        new StepCommitter(
            consumer,
            producer,
            router,
            ledger,
            dispatcher,
            settings,
            listener,
            clock,
            ownership,
            batch);
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
    commits.collect();
    // A tier whose head fell due while the poll waited is resumed before the commit, and the commit
    // waits one poll (once; never twice in a row) so that the due tickets are fetched and taken
    // in first: the commit is synchronous (hundreds of ms on a loaded broker) and the consumer
    // fetches a resumed partition only in its next poll.
    boolean resumedDue = adjustPauses();
    if (resumedDue && !commitDeferred) {
      commitDeferred = true;
    } else {
      commitDeferred = false;
      commits.commitIfDue(false);
    }
  }

  /** Takes the finished steps and commits them now (a drain waits for its partitions' steps). */
  private void commitNow() {
    commits.collect();
    commits.commitIfDue(true);
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
        commits.close();
      } finally {
        dispatcher.close();
        ledger.close();
      }
    }
  }
}
