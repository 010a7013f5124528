package io.renderrelay.e2e.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobTimelineTest {

  private static final Instant DEADLINE = Instant.parse("2026-01-01T10:04:00Z");
  private static final Instant END_BY = Instant.parse("2026-01-01T10:05:00Z");
  private static final Instant BEFORE = END_BY.minusSeconds(30);
  private static final Instant AFTER = END_BY.plusSeconds(30);

  private static JobTimeline ended(Instant at, boolean ambiguous, int paid) {
    return new JobTimeline(Optional.of(at), ambiguous, false, paid, DEADLINE, END_BY);
  }

  @Test
  void anAmbiguousJobIsUnpaidOnlyWhenTheProviderBilledNothing() {
    assertThat(ended(BEFORE, true, 0).unpaidAmbiguous()).isTrue();
    assertThat(ended(BEFORE, true, 1).unpaidAmbiguous()).isFalse();
    assertThat(ended(BEFORE, false, 0).unpaidAmbiguous()).isFalse();
  }

  @Test
  void aJobThatEndedInTimeIsNotStuckWhenEverItIsChecked() {
    assertThat(ended(BEFORE, false, 1).stuck(AFTER)).isFalse();
    assertThat(ended(END_BY, false, 1).stuck(AFTER)).isFalse();
  }

  @Test
  void aJobWhoseEventCameAfterDeadlinePlusGraceIsStuck() {
    assertThat(ended(AFTER, false, 1).stuck(AFTER.plusSeconds(60))).isTrue();
  }

  @Test
  void aJobWithoutEventIsStuckOnlyOnceDeadlinePlusGraceHasPassed() {
    JobTimeline none = new JobTimeline(Optional.empty(), false, false, 0, DEADLINE, END_BY);
    assertThat(none.stuck(BEFORE)).isFalse();
    assertThat(none.stuck(AFTER)).isTrue();
    assertThat(
            new JobTimeline(Optional.empty(), false, false, 0, Instant.MAX, Instant.MAX)
                .stuck(AFTER))
        .isFalse();
  }

  @Test
  void aDeadlineExceededFailureBeforeTheDeadlineIsCaught() {
    Instant early = DEADLINE.minusSeconds(200);
    assertThat(
            new JobTimeline(Optional.of(early), false, true, 0, DEADLINE, END_BY)
                .failedBeforeItsDeadline())
        .isTrue();
    assertThat(
            new JobTimeline(Optional.of(DEADLINE.plusSeconds(1)), false, true, 0, DEADLINE, END_BY)
                .failedBeforeItsDeadline())
        .isFalse();
    assertThat(
            new JobTimeline(Optional.of(early), false, false, 1, DEADLINE, END_BY)
                .failedBeforeItsDeadline())
        .isFalse();
  }
}
