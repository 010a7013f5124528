package io.renderrelay.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.provider.ProviderException.FatalReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmitAdmissionTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final FakeSleeper sleeper = new FakeSleeper(clock);
  private final RateLimiter limiter =
      new RateLimiter("submit", 2.0, 2, clock, sleeper, new RecordingMetrics());
  private final SubmissionGate gate = new SubmissionGate(clock, Duration.ofMinutes(5));
  private final AtomicLong monotonic = new AtomicLong();
  private final SubmitAdmission admission =
      new SubmitAdmission(
          gate,
          limiter,
          clock,
          Duration.ofSeconds(1),
          () -> monotonic.get() + clock.millis() * 1_000_000L);

  @Test
  void anOpenGateGrantsPermitsAtTheRate() {
    List<Instant> granted = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      var d = admission.admit(() -> true);
      assertThat(d).isInstanceOf(SubmitAdmission.Granted.class);
      granted.add(((SubmitAdmission.Granted) d).permit().grantedAt());
    }
    // a burst of 2, then one every 500 ms
    assertThat(Duration.between(granted.get(0), granted.get(5))).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aClosedGateGrantsOneProbePerIntervalAndPausesTheRest() {
    gate.close(FatalReason.NO_CREDIT);
    assertThat(admission.admit(() -> true)).isInstanceOf(SubmitAdmission.Paused.class);
    clock.advance(Duration.ofMinutes(5));
    var first = admission.admit(() -> true);
    var second = admission.admit(() -> true);
    assertThat(first).isInstanceOf(SubmitAdmission.Granted.class);
    assertThat(((SubmitAdmission.Granted) first).permit().probe()).isTrue();
    assertThat(second).isInstanceOf(SubmitAdmission.Paused.class);
  }

  @Test
  void aCallerThatMayNotGoOnGetsNothingAndTakesNoPermit() {
    admission.admit(() -> true);
    admission.admit(() -> true); // the burst is used up
    assertThat(admission.admit(() -> false)).isInstanceOf(SubmitAdmission.GaveUp.class);
    int[] checks = {0};
    assertThat(admission.admit(() -> ++checks[0] < 3)).isInstanceOf(SubmitAdmission.GaveUp.class);
    Instant before = clock.instant();
    var next = admission.admit(() -> true);
    assertThat(next).isInstanceOf(SubmitAdmission.Granted.class);
    // the slot given back serves the next caller: no wait beyond the first free slot
    assertThat(Duration.between(before, clock.instant()))
        .isLessThanOrEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aPermitIsGoodForItsPostOnlyWithinItsLifetime() {
    SubmitPermit permit = ((SubmitAdmission.Granted) admission.admit(() -> true)).permit();
    clock.advance(Duration.ofSeconds(1));
    assertThat(admission.fresh(permit)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(admission.fresh(permit)).isFalse();
  }

  @Test
  void aWallClockStepBackDoesNotKeepAStalePermitFresh() {
    SubmitPermit permit = ((SubmitAdmission.Granted) admission.admit(() -> true)).permit();
    // the process is frozen 2 s (the monotonic clock runs on) while NTP steps the wall clock an
    // hour back: the wall clock now reads earlier than the grant, the permit is still stale
    clock.advance(Duration.ofHours(-1));
    monotonic.addAndGet(Duration.ofHours(1).plusSeconds(2).toNanos());
    assertThat(admission.fresh(permit)).isFalse();
  }

  @Test
  void aWallClockStepForwardDoesNotExpireAFreshPermit() {
    SubmitPermit permit = ((SubmitAdmission.Granted) admission.admit(() -> true)).permit();
    clock.advance(Duration.ofHours(1));
    monotonic.addAndGet(-Duration.ofHours(1).toNanos());
    assertThat(admission.fresh(permit)).isTrue();
  }
}
