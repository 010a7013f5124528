package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobTrackerTest {

  @Test
  void keepsTheFirstEventOfSubmittedJobsAndCountsRepeats() {
    JobTracker t = new JobTracker();
    t.submitted("restyle-a-1");
    t.submitted("restyle-a-2");
    t.onCompleted(DemoRunnerTest.completed("restyle-a-1"));
    t.onFailed(DemoRunnerTest.failed("restyle-a-1"));
    t.onCompleted(DemoRunnerTest.completed("restyle-other-9"));

    assertThat(t.isTerminal("restyle-a-1")).isTrue();
    assertThat(t.outcome("restyle-a-1")).get().isInstanceOf(JobTracker.Outcome.Completed.class);
    assertThat(t.isTerminal("restyle-a-2")).isFalse();
    assertThat(t.isTerminal("restyle-other-9")).isFalse();
    assertThat(t.completed()).isEqualTo(1);
    assertThat(t.failed()).isZero();
    assertThat(t.submittedCount()).isEqualTo(2);
    assertThat(t.repeated()).containsExactly("restyle-a-1");
  }
}
