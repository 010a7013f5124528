package io.renderrelay.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OwnedPartitionTest {

  private final OwnedPartition p = new OwnedPartition(new TopicPartition("t", 0));

  @Test
  void commitsOnlyTheContiguousPrefixWhenWorkFinishesOutOfOrder() {
    for (long o = 10; o < 15; o++) {
      p.started(o);
    }
    p.finished(12);
    p.finished(13);
    assertThat(p.commitPoint(false)).contains(new OffsetAndMetadata(10));
    p.finished(10);
    p.finished(11);
    assertThat(p.commitPoint(false)).contains(new OffsetAndMetadata(14));
    p.finished(14);
    assertThat(p.commitPoint(false)).contains(new OffsetAndMetadata(15));
    p.committed(15);
    assertThat(p.commitPoint(false)).isEmpty();
  }

  @Test
  void nothingCommittableBeforeAnyRecordAndAForcedPointRepeatsThePosition() {
    assertThat(p.commitPoint(true)).isEmpty();
    p.started(0);
    assertThat(p.commitPoint(false)).contains(new OffsetAndMetadata(0));
    p.committed(0);
    assertThat(p.commitPoint(false)).isEmpty();
    assertThat(p.commitPoint(true)).contains(new OffsetAndMetadata(0));
    assertThat(p.pending()).isEqualTo(1);
  }

  @Test
  void aHeadIsHeldUntilItsDueTimeButNeverLongerThanTheTierDelayFromWhenItWasFirstSeen() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Duration tier = Duration.ofSeconds(10);
    assertThat(p.holdUntil(5, t0.plusSeconds(4), t0, tier)).isEqualTo(t0.plusSeconds(4));
    assertThat(p.holdUntil(5, t0.plusSeconds(600), t0.plusSeconds(3), tier))
        .isEqualTo(t0.plusSeconds(10));
    assertThat(p.stillHeld(t0.plusSeconds(9))).isTrue();
    assertThat(p.stillHeld(t0.plusSeconds(10))).isFalse();
    assertThat(p.holdUntil(6, t0.plusSeconds(600), t0.plusSeconds(20), tier))
        .isEqualTo(t0.plusSeconds(30));
  }

  @Test
  void theLeaseEndsWithTheOwnership() {
    assertThat(p.valid()).isTrue();
    assertThat(p.draining()).isFalse();
    p.startDraining();
    assertThat(p.valid()).isTrue();
    assertThat(p.draining()).isTrue();
    p.end();
    assertThat(p.valid()).isFalse();
  }
}
