package io.renderrelay.worker.job.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.worker.config.RenderTimePrior;
import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

/**
 * The fleet's render times: a replica that ran no job plans from the renders other replicas
 * completed, counts each render once, and keeps reading after a read error.
 */
class FleetRenderTimesTest {

  private static final String TOPIC = "render.events";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final RenderTimePrior PRIOR =
      new RenderTimePrior(Duration.ofSeconds(150), Duration.ofSeconds(480));
  private static final PollSchedule TIERS =
      new PollSchedule(
          List.of(
              new PollTier("now", Duration.ZERO, 0),
              new PollTier("t10", Duration.ofSeconds(10), 2),
              new PollTier("t120", Duration.ofSeconds(120), 0)));

  /** The events topic (two partitions), encoded with the generated classes' binary encoding. */
  private final List<List<RenderCompleted>> partitions =
      List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());

  private final Deserializer<Object> decoder =
      (topic, data) -> {
        try {
          return RenderCompleted.fromByteBuffer(ByteBuffer.wrap(data));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };

  /** One consumer of the events topic (MockConsumer has no offsetsForTimes). */
  /** A started reader of TOPIC into {@code times}, restarting 10 ms after a failure. */
  private FleetRenderTimes reading(
      Supplier<Consumer<byte[], byte[]>> consumers, RenderTimes times) {
    return new FleetRenderTimes(consumers, TOPIC, decoder, times, CLOCK, Duration.ofMillis(10))
        .start();
  }

  private final class EventsConsumer extends MockConsumer<byte[], byte[]> {
    EventsConsumer(boolean failOnceRead) {
      super("earliest");
      updatePartitions(
          TOPIC,
          List.of(
              new PartitionInfo(TOPIC, 0, Node.noNode(), new Node[0], new Node[0]),
              new PartitionInfo(TOPIC, 1, Node.noNode(), new Node[0], new Node[0])));
      updateBeginningOffsets(Map.of(tp(0), 0L, tp(1), 0L));
      schedulePollTask(this::deliver);
      if (failOnceRead) {
        schedulePollTask(() -> setPollException(new KafkaException("broker went away")));
      }
    }

    /** Hands over what was appended since the last poll, and does so again at the next poll. */
    private void deliver() {
      schedulePollTask(this::deliver);
      try {
        Thread.sleep(5); // a MockConsumer's poll does not wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (int p = 0; p < partitions.size(); p++) {
        List<RenderCompleted> log = partitions.get(p);
        for (int i = (int) position(tp(p)); i < log.size(); i++) {
          addRecord(
              new ConsumerRecord<>(
                  TOPIC,
                  p,
                  i,
                  log.get(i).getJobId().getBytes(StandardCharsets.UTF_8),
                  bytes(i, p)));
        }
      }
    }

    private byte[] bytes(int i, int p) {
      try {
        ByteBuffer b = partitions.get(p).get(i).toByteBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
        Map<TopicPartition, Long> timestamps) {
      assertThat(timestamps.values())
          .allMatch(t -> t == NOW.minus(Duration.ofHours(24)).toEpochMilli());
      Map<TopicPartition, OffsetAndTimestamp> out = new HashMap<>();
      timestamps.keySet().forEach(tp -> out.put(tp, new OffsetAndTimestamp(0, 0)));
      return out;
    }

    @Override
    public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> ps) {
      Map<TopicPartition, Long> out = new HashMap<>();
      ps.forEach(tp -> out.put(tp, (long) partitions.get(tp.partition()).size()));
      return out;
    }
  }

  private static TopicPartition tp(int p) {
    return new TopicPartition(TOPIC, p);
  }

  private void completed(int partition, String jobId, JobType type, Duration took) {
    Instant submitted = NOW.minus(Duration.ofHours(1));
    partitions
        .get(partition)
        .add(
            RenderCompleted.newBuilder()
                .setJobId(jobId)
                .setJobType(type)
                .setProviderTaskId("task-" + jobId)
                .setVideo(
                    RenderOutput.newBuilder()
                        .setBucket("b")
                        .setKey(jobId + "/video.mp4")
                        .setUri("s3://b/" + jobId + "/video.mp4")
                        .setContentType("video/mp4")
                        .setSizeBytes(1)
                        .setSha256("00")
                        .build())
                .setRequestedAt(submitted)
                .setSubmittedAt(submitted)
                .setRenderedAt(submitted.plus(took))
                .setCompletedAt(submitted.plus(took).plusSeconds(1))
                .setAttempts(1)
                .build());
  }

  private static void await(String what, BooleanSupplier done) throws InterruptedException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as(what + " within 10 s").isLessThan(until);
      Thread.sleep(20);
    }
  }

  @Test
  void aReplicaThatRanNoJobPlansFromTheFleetsRendersInsteadOfThePrior() throws Exception {
    for (int i = 0; i < 20; i++) {
      completed(i % 2, "job-" + i, JobType.RESTYLE, Duration.ofSeconds(40 + i));
    }
    RenderTimes times = new RenderTimes(20, Map.of(JobType.RESTYLE, PRIOR), true);
    PollPlan plan = new PollPlan(TIERS, times, true, Duration.ofMinutes(15));
    Duration prior = plan.waitBefore(JobType.RESTYLE, 1, false, Duration.ofHours(1));
    assertThat(prior.toMillis()).isBetween(479_000L, 481_000L); // the prior's p95
    FleetRenderTimes fleet = reading(() -> new EventsConsumer(false), times);
    try {
      await("20 renders learned", () -> times.samples(JobType.RESTYLE) == 20);
    } finally {
      fleet.close();
    }
    // the fleet's p95 of 40..59 s: one render of 20 beyond it supports no estimate, so the
    // lognormal fitted to the 20 gives it (about 60 s; never below the observed 58 s)
    assertThat(plan.waitBefore(JobType.RESTYLE, 1, false, Duration.ofHours(1)).toMillis())
        .isBetween(58_000L, 62_000L);
    assertThat(times.samples(JobType.ACT_ONE)).isZero();
  }

  @Test
  void aRenderThisReplicaPolledItselfIsCountedOnceFromItsEvent() throws Exception {
    completed(0, "job-1", JobType.ACT_ONE, Duration.ofSeconds(30));
    RenderTimes times = new RenderTimes(1, Map.of(), true);
    // this replica's own poll found job-1 done, and the fleet reader reads job-1's event
    times.observe(JobType.ACT_ONE, Duration.ofSeconds(25), false);
    FleetRenderTimes fleet = reading(() -> new EventsConsumer(false), times);
    try {
      await("the event read", () -> times.samples(JobType.ACT_ONE) >= 1);
      Thread.sleep(200); // further polls
    } finally {
      fleet.close();
    }
    assertThat(times.samples(JobType.ACT_ONE)).isEqualTo(1);
    assertThat(times.quantile(JobType.ACT_ONE, 0.5)).contains(Duration.ofSeconds(30));
    assertThat(times.callbacksArriving())
        .as("the own poll still teaches the callback share")
        .isTrue(); // 0.9 after one scheduled-poll completion from 1.0
  }

  @Test
  void aReadErrorStartsANewConsumerThatGoesOnWhereTheLastStopped() throws Exception {
    completed(0, "job-1", JobType.RESTYLE, Duration.ofSeconds(30));
    completed(1, "job-2", JobType.RESTYLE, Duration.ofSeconds(60));
    RenderTimes times = new RenderTimes(1, Map.of(), true);
    AtomicInteger consumers = new AtomicInteger();
    FleetRenderTimes fleet =
        reading(() -> new EventsConsumer(consumers.getAndIncrement() == 0), times);
    try {
      await("a second consumer", () -> consumers.get() >= 2);
      completed(0, "job-3", JobType.RESTYLE, Duration.ofSeconds(90));
      await("the later render learned", () -> times.samples(JobType.RESTYLE) >= 3);
      Thread.sleep(200); // further polls
    } finally {
      fleet.close();
    }
    assertThat(times.samples(JobType.RESTYLE)).isEqualTo(3);
    assertThat(times.quantile(JobType.RESTYLE, 1.0)).contains(Duration.ofSeconds(90));
  }
}
