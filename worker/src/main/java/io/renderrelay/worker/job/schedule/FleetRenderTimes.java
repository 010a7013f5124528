package io.renderrelay.worker.job.schedule;

import io.renderrelay.avro.RenderCompleted;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Teaches {@link RenderTimes} the render times the whole fleet observed: reads every partition of
 * the events topic (no group, read_committed) from {@link #LOOK_BACK} ago on, then follows it, and
 * hands each {@link RenderCompleted}'s {@code renderedAt - submittedAt} to {@link
 * RenderTimes#observeFleet}. Every replica runs one, so a fresh replica (a deploy, a scale-out, a
 * takeover) plans from the fleet's renders at once, and all replicas plan alike.
 */
public final class FleetRenderTimes implements AutoCloseable {

  /**
   * How far back a starting reader reads: a day holds far more than the {@link RenderTimes#WINDOW}
   * renders per type kept at any real load, and render times older than that say little about
   * today's provider. A quiet fleet reads less and plans from the prior until enough were seen.
   */
  static final Duration LOOK_BACK = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(FleetRenderTimes.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String topic;
  private final Deserializer<?> events;
  private final RenderTimes times;
  private final Clock clock;
  private final Duration retryPause;
  private final Thread thread;
  // the offset after the last event read, per partition; only the reader thread touches it. A
  // consumer built after a read error goes on from here, so no render is counted twice.
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private volatile boolean closed;
  private volatile Consumer<byte[], byte[]> consumer;

  /**
   * @param events the events topic's deserializer (registry-aware; yields RenderCompleted among
   *     others)
   * @param retryPause the pause before a new consumer after a read error
   */
  public FleetRenderTimes(
      Supplier<Consumer<byte[], byte[]>> consumers,
      String topic,
      Deserializer<?> events,
      RenderTimes times,
      Clock clock,
      Duration retryPause) {
    this.consumers = consumers;
    this.topic = topic;
    this.events = events;
    this.times = times;
    this.clock = clock;
    this.retryPause = retryPause;
    this.thread = Thread.ofPlatform().name("rr-fleet-render-times").daemon().unstarted(this::run);
  }

  public FleetRenderTimes start() {
    thread.start();
    return this;
  }

  private void run() {
    while (!closed) {
      try (var c = consumers.get()) {
        consumer = c;
        follow(c);
      } catch (WakeupException | InterruptException e) {
        return;
      } catch (RuntimeException | Error e) {
        // an Error too: a reader that ended would leave every later plan on old render times
        if (closed) {
          return;
        }
        log.warn("reading render times from {} failed, starting over: {}", topic, e.toString());
        pause();
      }
    }
  }

  private void follow(Consumer<byte[], byte[]> c) {
    List<TopicPartition> partitions =
        c.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    if (partitions.isEmpty()) {
      throw new IllegalStateException("topic " + topic + " has no partitions (yet)");
    }
    c.assign(partitions);
    long from = clock.instant().minus(LOOK_BACK).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    for (TopicPartition tp : partitions) {
      if (next.containsKey(tp)) {
        c.seek(tp, next.get(tp));
      } else {
        query.put(tp, from);
      }
    }
    if (!query.isEmpty()) {
      Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(query);
      Map<TopicPartition, Long> end = c.endOffsets(query.keySet());
      for (TopicPartition tp : query.keySet()) {
        OffsetAndTimestamp o = at.get(tp);
        c.seek(tp, o == null ? end.get(tp) : o.offset());
      }
    }
    while (!closed) {
      for (ConsumerRecord<byte[], byte[]> r : c.poll(POLL)) {
        apply(r);
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
    Object event;
    try {
      event = events.deserialize(r.topic(), r.value());
    } catch (RuntimeException e) {
      log.warn(
          "event at {}-{}@{} cannot be read, no render time learned from it: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e.getMessage());
      return;
    }
    if (event instanceof RenderCompleted done) {
      times.observeFleet(
          done.getJobType(), Duration.between(done.getSubmittedAt(), done.getRenderedAt()));
    }
  }

  private void pause() {
    try {
      Thread.sleep(retryPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
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
