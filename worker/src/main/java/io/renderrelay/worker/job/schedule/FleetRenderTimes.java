package io.renderrelay.worker.job.schedule;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.worker.kafka.RestartingReader;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
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

  private final String topic;
  private final Deserializer<?> events;
  private final RenderTimes times;
  private final Clock clock;
  private final RestartingReader reader;
  // the offset after the last event read, per partition; only the reader thread touches it. A
  // consumer built after a read error goes on from here, so no render is counted twice.
  private final Map<TopicPartition, Long> next = new HashMap<>();

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
    this.topic = topic;
    this.events = events;
    this.times = times;
    this.clock = clock;
    // an Error too restarts it: a reader that ended would leave every later plan on old times
    this.reader =
        new RestartingReader(
            "rr-fleet-render-times",
            "render times from " + topic,
            consumers,
            this::follow,
            retryPause);
  }

  public FleetRenderTimes start() {
    reader.start();
    return this;
  }

  private void follow(Consumer<byte[], byte[]> c, BooleanSupplier closed) {
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
    while (!closed.getAsBoolean()) {
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

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
