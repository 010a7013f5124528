package io.renderrelay.client;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads terminal events from the events topic with a {@code read_committed} consumer and hands each
 * to a {@link RenderEventHandler}: {@code RenderCompleted} to {@code onCompleted}, {@code
 * RenderFailed} to {@code onFailed}, anything else to {@code onUnknown}. Offsets are committed
 * synchronously after the handler returned for every record of a poll, so each event reaches the
 * handler at least once (exactly once unless the process dies between handling and committing; make
 * the handler idempotent by job id). When the handler throws, the offsets handled so far are
 * committed, the record's partition is rewound to it and paused for the retry back-off, and the
 * other partitions go on.
 *
 * <p>Drive it with {@link #start()} (own thread), {@link #runUntil(BooleanSupplier)} (calling
 * thread) or {@link #pollOnce()}; stop it with {@link #close()}. Build it with {@link
 * RenderClients#listener(ListenerConfig, RenderEventHandler)}.
 */
public final class RenderEventListener implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RenderEventListener.class);
  private static final Duration JOIN_GRACE = Duration.ofSeconds(30);

  private final Consumer<String, Object> consumer;
  private final ListenerConfig config;
  private final RenderEventHandler handler;
  private final Clock clock;
  private final AutoCloseable resources;
  private final ReentrantLock pollLock = new ReentrantLock();
  private final Map<TopicPartition, Instant> pausedUntil = new HashMap<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile boolean closing;
  private volatile Thread thread;
  private volatile Throwable failure;

  /**
   * Creates a listener over a ready consumer (custom wiring and tests; the factory is {@link
   * RenderClients#listener(ListenerConfig, RenderEventHandler)}) and subscribes it to the events
   * topic.
   *
   * @param consumer a consumer with auto commit off and {@code isolation.level=read_committed}
   * @param config topic, poll timeout and retry back-off
   * @param handler receives the events
   * @param clock time source of the retry back-off
   * @param resources closed after the consumer (e.g. the registry client)
   */
  public RenderEventListener(
      Consumer<String, Object> consumer,
      ListenerConfig config,
      RenderEventHandler handler,
      Clock clock,
      AutoCloseable resources) {
    this.resources = Objects.requireNonNull(resources, "resources");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.config = Objects.requireNonNull(config, "config");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.clock = Objects.requireNonNull(clock, "clock");
    consumer.subscribe(List.of(config.eventsTopic()), new Rebalance());
  }

  /**
   * Polls once, hands every record to the handler and commits what was handled.
   *
   * @return how many records the handler accepted
   * @throws IllegalStateException when the listener is closed
   * @throws RuntimeException what {@link RenderEventHandler#onUndecodable} threw
   */
  public int pollOnce() {
    pollLock.lock();
    try {
      if (closing) {
        throw new IllegalStateException("listener is closed");
      }
      resumeDue();
      ConsumerRecords<String, Object> records;
      try {
        records = consumer.poll(config.pollTimeout());
      } catch (RecordDeserializationException e) {
        return skipOrFail(e);
      }
      return dispatch(records);
    } finally {
      pollLock.unlock();
    }
  }

  /**
   * Polls on the calling thread until {@code done} answers true or the listener is closed.
   *
   * @throws RuntimeException what {@link RenderEventHandler#onUndecodable} threw
   */
  public void runUntil(BooleanSupplier done) {
    try {
      while (!closing && !done.getAsBoolean()) {
        pollOnce();
      }
    } catch (WakeupException e) {
      if (!closing) {
        throw e;
      }
    } catch (IllegalStateException e) {
      if (!closing) {
        throw e;
      }
    }
  }

  /**
   * Starts polling on a new thread named {@code render-event-listener}; it runs until {@link
   * #close()} or until the handler's {@code onUndecodable} throws (see {@link #failure()}).
   *
   * @throws IllegalStateException when already started or closed
   */
  public synchronized void start() {
    if (thread != null || closing) {
      throw new IllegalStateException("listener already started or closed");
    }
    Thread t = new Thread(this::runLoop, "render-event-listener");
    thread = t;
    t.start();
  }

  /** Returns why the background thread stopped, if it stopped on an error. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void runLoop() {
    try {
      runUntil(() -> false);
    } catch (RuntimeException e) {
      failure = e;
      log.error("render event listener stopped on an error: {}", e.toString(), e);
    }
  }

  private int dispatch(ConsumerRecords<String, Object> records) {
    Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
    Set<TopicPartition> rewound = new HashSet<>();
    int count = 0;
    for (ConsumerRecord<String, Object> record : records) {
      TopicPartition tp = new TopicPartition(record.topic(), record.partition());
      if (rewound.contains(tp)) {
        continue;
      }
      try {
        deliver(record);
        handled.put(tp, new OffsetAndMetadata(record.offset() + 1));
        count++;
      } catch (RuntimeException e) {
        log.warn(
            "handler failed for job {} at {}@{}, retrying in {}: {}",
            record.key(),
            tp,
            record.offset(),
            config.retryBackoff(),
            e.toString());
        rewound.add(tp);
        consumer.seek(tp, record.offset());
        consumer.pause(List.of(tp));
        pausedUntil.put(tp, clock.instant().plus(config.retryBackoff()));
      }
    }
    commit(handled);
    return count;
  }

  private void deliver(ConsumerRecord<String, Object> record) {
    switch (record.value()) {
      case RenderCompleted c -> handler.onCompleted(c);
      case RenderFailed f -> handler.onFailed(f);
      case null, default -> handler.onUnknown(record.key(), record.value());
    }
  }

  private int skipOrFail(RecordDeserializationException e) {
    TopicPartition tp = e.topicPartition();
    handler.onUndecodable(tp, e.offset(), e);
    log.warn("skipping undecodable record at {}@{}: {}", tp, e.offset(), e.getMessage());
    consumer.seek(tp, e.offset() + 1);
    commit(Map.of(tp, new OffsetAndMetadata(e.offset() + 1)));
    return 0;
  }

  private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException e) {
      log.warn(
          "offset commit failed after a rebalance; the records will come again: {}", e.toString());
    }
  }

  private void resumeDue() {
    if (pausedUntil.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Set<TopicPartition> due = new HashSet<>();
    pausedUntil.forEach(
        (tp, until) -> {
          if (!now.isBefore(until)) {
            due.add(tp);
          }
        });
    if (!due.isEmpty()) {
      due.forEach(pausedUntil::remove);
      Set<TopicPartition> assigned = consumer.assignment();
      consumer.resume(due.stream().filter(assigned::contains).toList());
    }
  }

  /**
   * Stops polling (waking a blocked poll), waits up to 30 s for the background thread and closes
   * the consumer. Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    closing = true;
    consumer.wakeup();
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(JOIN_GRACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pollLock.lock();
    try {
      consumer.close();
    } catch (IllegalStateException alreadyClosed) {
      log.debug("consumer already closed");
    } finally {
      pollLock.unlock();
      closeResources();
    }
  }

  private void closeResources() {
    try {
      resources.close();
    } catch (Exception e) {
      log.warn("closing the listener's resources failed: {}", e.toString());
    }
  }

  /** Forgets the back-off of partitions this consumer no longer owns. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      partitions.forEach(pausedUntil::remove);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      partitions.forEach(pausedUntil::remove);
    }
  }
}
