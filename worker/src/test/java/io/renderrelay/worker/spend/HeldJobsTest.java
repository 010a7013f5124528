package io.renderrelay.worker.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HeldJobsTest {

  // a worker whose held-jobs gauge nobody scrapes held every job id it ever held back
  @Test
  void jobsHeldLongAgoAreForgottenWithoutAScrape() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    HeldJobs held = new HeldJobs(clock);
    for (int i = 0; i < 20_000; i++) {
      held.hold("job-" + i);
      clock.advance(Duration.ofMillis(100)); // 600 a minute
    }
    assertThat(held.tracked()).isLessThanOrEqualTo(2 * 1024 + 1);
    assertThat(held.count()).isBetween(590, 610);
  }

  @Test
  void aReleasedJobIsNotCounted() {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T00:00:00Z"));
    HeldJobs held = new HeldJobs(clock);
    held.hold("a");
    held.hold("b");
    held.release("a");
    assertThat(held.ids()).containsExactly("b");
  }
}
