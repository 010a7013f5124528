package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.DLT;
import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DltReaderTest {

  private final List<ConsumerRecord<byte[], byte[]>> records =
      List.of(
          record(0, 0, 1000, "a", "UNDECODABLE", RESTYLE, 1),
          record(0, 1, 2000, "b", "UNDECODABLE", RESTYLE, 2),
          record(0, 2, 3000, "c", "UNDECODABLE", RESTYLE, 3),
          record(1, 0, 1500, "d", "UNDECODABLE", RESTYLE, 4));

  @Test
  void sinceSeeksWithOffsetsForTimesAndAPartitionWithNothingNewerIsDone() {
    MockConsumer<byte[], byte[]> consumer = TestDlt.consumer(DLT, 2, records);
    MockConsumer<byte[], byte[]> timed =
        new MockConsumer<>("earliest") {
          @Override
          public synchronized Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(
              Map<TopicPartition, Long> query) {
            Map<TopicPartition, OffsetAndTimestamp> m = new HashMap<>();
            m.put(new TopicPartition(DLT, 0), new OffsetAndTimestamp(1, 2000));
            m.put(new TopicPartition(DLT, 1), null);
            return m;
          }
        };
    // same content as the plain mock
    timed.updatePartitions(DLT, consumer.partitionsFor(DLT));
    timed.updateBeginningOffsets(
        Map.of(new TopicPartition(DLT, 0), 0L, new TopicPartition(DLT, 1), 0L));
    timed.updateEndOffsets(Map.of(new TopicPartition(DLT, 0), 3L, new TopicPartition(DLT, 1), 1L));
    timed.schedulePollTask(() -> records.forEach(timed::addRecord));

    DltReader reader = new DltReader(timed, DLT, () -> 0L, Duration.ofSeconds(5));
    DltReader.Range range = reader.open(Optional.of(Instant.ofEpochMilli(2000)));
    List<String> seen = new ArrayList<>();
    reader.scan(range, r -> seen.add(new String(r.key())), n -> {});

    assertThat(range.start())
        .containsEntry(new TopicPartition(DLT, 0), 1L)
        .containsEntry(new TopicPartition(DLT, 1), 1L);
    assertThat(range.size()).isEqualTo(2);
    assertThat(seen).containsExactly("b", "c");
  }

  @Test
  void aMissingTopicIsAClearError() {
    DltReader reader =
        new DltReader(new MockConsumer<>("earliest"), "nope", () -> 0L, Duration.ofSeconds(5));
    assertThatThrownBy(() -> reader.open(Optional.empty()))
        .isInstanceOf(CliException.class)
        .hasMessageStartingWith("topic nope does not exist");
  }

  @Test
  void aBrokerThatStopsAnsweringEndsTheScanWithAnError() {
    MockConsumer<byte[], byte[]> consumer = TestDlt.consumer(DLT, 1, List.of());
    consumer.updateEndOffsets(Map.of(new TopicPartition(DLT, 0), 5L));
    long[] now = {0};
    DltReader reader =
        new DltReader(consumer, DLT, () -> now[0] += 1_000_000_000L, Duration.ofSeconds(30));
    DltReader.Range range = reader.open(Optional.empty());
    assertThatThrownBy(() -> reader.scan(range, r -> true, n -> {}))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("made no progress for 30s");
  }
}
