package io.renderrelay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  private final TopicPartition tp = new TopicPartition("t", 0);
  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  void commitsOnlyTheContiguousPrefixWhenWorkFinishesOutOfOrder() {
    for (long o = 10; o < 15; o++) {
      tracker.started(tp, o);
    }
    tracker.finished(tp, 12);
    tracker.finished(tp, 13);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(10));
    tracker.finished(tp, 10);
    tracker.finished(tp, 11);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(14));
    tracker.finished(tp, 14);
    Map<TopicPartition, OffsetAndMetadata> all = tracker.committable();
    assertThat(all).containsEntry(tp, new OffsetAndMetadata(15));
    tracker.committed(all);
    assertThat(tracker.committable()).isEmpty();
  }

  @Test
  void nothingCommittableBeforeAnyRecord() {
    assertThat(tracker.committable()).isEmpty();
    tracker.started(tp, 0);
    assertThat(tracker.committable()).containsEntry(tp, new OffsetAndMetadata(0));
    tracker.committed(tracker.committable());
    assertThat(tracker.committable()).isEmpty();
    assertThat(tracker.pending(tp)).isEqualTo(1);
  }
}
