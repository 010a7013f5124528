package io.renderrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ListenerTest {

  static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  static final String TOPIC = Topics.EVENTS;
  final TopicPartition p0 = new TopicPartition(TOPIC, 0);
  final TopicPartition p1 = new TopicPartition(TOPIC, 1);

  final MockConsumer<String, Object> consumer = new MockConsumer<>("earliest");
  final MutableClock clock = new MutableClock(T0);
  final Recorder handler = new Recorder();
  final AtomicInteger resourcesClosed = new AtomicInteger();
  final ListenerConfig config =
      ListenerConfig.builder(
              "127.0.0.1:9092", RegistrySettings.of("http://127.0.0.1:8081"), "transcoder")
          .pollTimeout(Duration.ofMillis(10))
          .retryBackoff(Duration.ofSeconds(5))
          .build();
  RenderEventListener listener;

  @BeforeEach
  void setUp() {
    listener =
        new RenderEventListener(consumer, config, handler, clock, resourcesClosed::incrementAndGet);
    consumer.rebalance(List.of(p0, p1));
    consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
  }

  static RenderOutput output(String key) {
    return new RenderOutput(
        "renders", key, "s3://renders/" + key, 10L, "ab".repeat(32), "video/mp4");
  }

  static RenderCompleted completed(String jobId) {
    return RenderCompleted.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.RESTYLE)
        .setProviderTaskId("task-" + jobId)
        .setVideo(output("renders/restyle/" + jobId + "/video.mp4"))
        .setRequestedAt(T0)
        .setSubmittedAt(T0)
        .setRenderedAt(T0)
        .setCompletedAt(T0)
        .setAttempts(1)
        .build();
  }

  static RenderFailed failed(String jobId) {
    return RenderFailed.newBuilder()
        .setJobId(jobId)
        .setJobType(JobType.ACT_ONE)
        .setReason(FailureReason.MODERATION)
        .setMessage("SAFETY.INPUT")
        .setFailedAt(T0)
        .build();
  }

  void add(TopicPartition tp, long offset, String key, Object value) {
    consumer.addRecord(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, key, value));
  }

  long committed(TopicPartition tp) {
    OffsetAndMetadata o = consumer.committed(Set.of(tp)).get(tp);
    return o == null ? -1 : o.offset();
  }

  @Test
  void dispatchesByTypeAndCommitsAfterTheHandler() {
    add(p0, 0, "a", completed("a"));
    add(p0, 1, "b", failed("b"));
    add(
        p1,
        0,
        "c",
        io.renderrelay.avro.PollTicket.newBuilder()
            .setJobId("c")
            .setKind(io.renderrelay.avro.TicketKind.SCHEDULED)
            .setDueAt(T0)
            .setIssuedAt(T0)
            .build());
    add(p1, 1, "d", null);

    assertThat(listener.pollOnce()).isEqualTo(4);

    assertThat(handler.log)
        .containsExactlyInAnyOrder("completed:a", "failed:b", "unknown:c", "unknown:d");
    assertThat(handler.log.indexOf("completed:a")).isLessThan(handler.log.indexOf("failed:b"));
    assertThat(committed(p0)).isEqualTo(2);
    assertThat(committed(p1)).isEqualTo(2);
    assertThat(consumer.subscription()).containsExactly(TOPIC);
  }

  @Test
  void aThrowingHandlerRewindsAndPausesOnlyItsPartitionThenRetriesAfterTheBackoff() {
    handler.failOnce.add("b");
    add(p0, 0, "a", completed("a"));
    add(p0, 1, "b", completed("b"));
    add(p0, 2, "c", completed("c"));
    add(p1, 0, "x", failed("x"));

    assertThat(listener.pollOnce()).isEqualTo(2);
    assertThat(handler.log).containsExactlyInAnyOrder("completed:a", "completed:b!", "failed:x");
    assertThat(committed(p0)).isEqualTo(1);
    assertThat(committed(p1)).isEqualTo(1);
    assertThat(consumer.position(p0)).isEqualTo(1);
    assertThat(consumer.paused()).containsExactly(p0);

    clock.advance(Duration.ofSeconds(4));
    listener.pollOnce();
    assertThat(consumer.paused()).containsExactly(p0);

    clock.advance(Duration.ofSeconds(1));
    add(p0, 1, "b", completed("b")); // the broker would deliver it again from the rewound position
    add(p0, 2, "c", completed("c"));
    assertThat(listener.pollOnce()).isEqualTo(2);
    assertThat(consumer.paused()).isEmpty();
    assertThat(handler.log).endsWith("completed:b", "completed:c");
    assertThat(committed(p0)).isEqualTo(3);
  }

  @Test
  void undecodableRecordStopsByDefault() {
    RenderEventListener strict =
        new RenderEventListener(
            consumer,
            config,
            new Recorder() {
              @Override
              public void onUndecodable(
                  TopicPartition partition, long offset, RuntimeException cause) {
                throw cause;
              }
            },
            clock,
            () -> {});
    consumer.setPollException(undecodable(p0, 7));
    assertThatThrownBy(strict::pollOnce).isInstanceOf(RecordDeserializationException.class);
    assertThat(committed(p0)).isEqualTo(-1);
  }

  @Test
  void undecodableRecordIsSkippedAndCommittedWhenTheHandlerReturns() {
    RenderEventHandler skipping =
        new Recorder() {
          @Override
          public void onUndecodable(TopicPartition partition, long offset, RuntimeException cause) {
            log.add("undecodable:" + partition.partition() + "@" + offset);
          }
        };
    RenderEventListener lenient =
        new RenderEventListener(consumer, config, skipping, clock, () -> {});
    add(p0, 0, "a", completed("a"));
    lenient.pollOnce();
    consumer.setPollException(undecodable(p0, 1));
    assertThat(lenient.pollOnce()).isZero();
    assertThat(((Recorder) skipping).log).containsExactly("completed:a", "undecodable:0@1");
    assertThat(committed(p0)).isEqualTo(2);
    assertThat(consumer.position(p0)).isEqualTo(2);
  }

  @Test
  void startRunsOnItsOwnThreadAndCloseStopsIt() throws Exception {
    CountDownLatch seen = new CountDownLatch(2);
    List<RenderEvent> events = new CopyOnWriteArrayList<>();
    RenderEventListener threaded =
        new RenderEventListener(
            consumer,
            config,
            RenderEventHandler.of(
                e -> {
                  events.add(e);
                  seen.countDown();
                }),
            clock,
            resourcesClosed::incrementAndGet);
    threaded.start();
    consumer.schedulePollTask(
        () -> {
          add(p0, 0, "a", completed("a"));
          add(p1, 0, "b", failed("b"));
        });
    assertThat(seen.await(5, TimeUnit.SECONDS)).isTrue();
    threaded.close();
    threaded.close();
    assertThat(consumer.closed()).isTrue();
    assertThat(resourcesClosed).hasValue(1);
    assertThat(threaded.failure()).isEmpty();
    assertThat(events).extracting(RenderEvent::jobId).containsExactlyInAnyOrder("a", "b");
    String described =
        events.stream()
            .map(
                e ->
                    switch (e) {
                      case RenderEvent.Completed c ->
                          "done " + S3Location.of(c.event().getVideo()).uri();
                      case RenderEvent.Failed f -> "failed " + f.event().getReason();
                    })
            .sorted()
            .toList()
            .toString();
    assertThat(described)
        .isEqualTo("[done s3://renders/renders/restyle/a/video.mp4, failed MODERATION]");
    assertThatThrownBy(threaded::pollOnce).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void runUntilStopsWhenTheConditionHolds() {
    add(p0, 0, "a", completed("a"));
    add(p0, 1, "b", completed("b"));
    listener.runUntil(() -> handler.log.size() >= 2);
    assertThat(handler.log).containsExactly("completed:a", "completed:b");
    listener.close();
    assertThat(consumer.closed()).isTrue();
  }

  @Test
  void consumerPropertiesAreReadCommittedWithManualCommits() {
    RenderClients clients = new RenderClients(clock);
    assertThat(clients.consumerProperties(config))
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("group.id", "transcoder")
        .containsEntry("auto.offset.reset", "earliest");
    ListenerConfig bad =
        ListenerConfig.builder("b:9092", RegistrySettings.of("http://r"), "g")
            .consumerOverrides(Map.of("isolation.level", "read_uncommitted"))
            .build();
    assertThatThrownBy(() -> clients.consumerProperties(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("isolation.level");
  }

  @Test
  void s3LocationParsesAndChecksOutputs() {
    S3Location loc = S3Location.of(output("renders/restyle/j1/video.mp4"));
    assertThat(loc.bucket()).isEqualTo("renders");
    assertThat(loc.key()).isEqualTo("renders/restyle/j1/video.mp4");
    assertThat(loc.fileName()).isEqualTo("video.mp4");
    assertThat(S3Location.parse(loc.uri())).isEqualTo(loc);
    RenderOutput lying = output("a/b.mp4");
    lying.setUri("s3://other/a/b.mp4");
    assertThatThrownBy(() -> S3Location.of(lying)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("https://renders/a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("s3://renders/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> S3Location.parse("s3:///key"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static RecordDeserializationException undecodable(TopicPartition tp, long offset) {
    return new RecordDeserializationException(
        RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
        tp,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        null,
        null,
        new RecordHeaders(),
        "unknown schema id 99",
        null);
  }

  static class Recorder implements RenderEventHandler {
    final List<String> log = new CopyOnWriteArrayList<>();
    final Set<String> failOnce = new java.util.HashSet<>();

    @Override
    public void onCompleted(RenderCompleted event) {
      if (failOnce.remove(event.getJobId())) {
        log.add("completed:" + event.getJobId() + "!");
        throw new IllegalStateException("downstream database down");
      }
      log.add("completed:" + event.getJobId());
    }

    @Override
    public void onFailed(RenderFailed event) {
      log.add("failed:" + event.getJobId());
    }

    @Override
    public void onUnknown(String key, Object value) {
      log.add("unknown:" + key);
    }
  }
}
