package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.provider.ProviderException.FatalReason;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SubmissionGateTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final SubmissionGate gate = new SubmissionGate(clock, Duration.ofMinutes(5));

  @Test
  void startsOpen() {
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.reason()).isEmpty();
    assertThat(gate.closedSince()).isEmpty();
    assertThat(gate.probeDue(clock.instant().plusSeconds(3600))).isFalse();
    assertThat(gate.tryAcquireProbe(clock.instant())).isFalse();
  }

  @Test
  void closeKeepsReasonAndSince() {
    Instant t0 = clock.instant();
    assertThat(gate.close(FatalReason.NO_CREDIT)).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(gate.close(FatalReason.UNAUTHORIZED)).isFalse();
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.reason()).contains(FatalReason.UNAUTHORIZED);
    assertThat(gate.closedSince()).contains(t0);
  }

  @Test
  void probeIsDueAfterTheIntervalAndOnlyOncePerInterval() {
    gate.close(FatalReason.NO_CREDIT);
    Instant t0 = clock.instant();
    assertThat(gate.probeDue(t0.plus(Duration.ofMinutes(4)))).isFalse();
    assertThat(gate.tryAcquireProbe(t0.plus(Duration.ofMinutes(4)))).isFalse();
    Instant due = t0.plus(Duration.ofMinutes(5));
    assertThat(gate.probeDue(due)).isTrue();
    assertThat(gate.tryAcquireProbe(due)).isTrue();
    assertThat(gate.tryAcquireProbe(due)).isFalse();
    assertThat(gate.probeDue(due.plus(Duration.ofMinutes(4)))).isFalse();
    assertThat(gate.probeDue(due.plus(Duration.ofMinutes(5)))).isTrue();
    assertThat(gate.isOpen()).isFalse();
    assertThat(gate.closedSince()).contains(t0);
  }

  @Test
  void reopenOpens() {
    gate.close(FatalReason.UNAUTHORIZED);
    gate.reopen();
    assertThat(gate.isOpen()).isTrue();
    assertThat(gate.reason()).isEmpty();
    assertThat(gate.state()).isInstanceOf(SubmissionGate.Open.class);
  }

  @Test
  void concurrentProbeClaimsLetExactlyOneThrough() throws Exception {
    gate.close(FatalReason.NO_CREDIT);
    Instant due = clock.instant().plus(Duration.ofMinutes(5));
    var winners = new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[8];
    for (int i = 0; i < threads.length; i++) {
      threads[i] =
          Thread.ofVirtual()
              .start(
                  () -> {
                    if (gate.tryAcquireProbe(due)) {
                      winners.incrementAndGet();
                    }
                  });
    }
    for (Thread t : threads) {
      assertThat(t.join(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(winners.get()).isEqualTo(1);
  }
}
