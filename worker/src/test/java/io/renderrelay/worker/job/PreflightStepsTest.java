package io.renderrelay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.preflight.Preflight;
import io.renderrelay.worker.preflight.Rule;
import io.renderrelay.worker.preflight.Verdict;
import io.renderrelay.worker.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight hook before the submit intent: a refused input fails the job unpaid (no intent, no
 * POST), a transient failure is checked again after a backoff and, after the last attempt, the job
 * is submitted unchecked; a stopping worker leaves the command to the next owner.
 */
class PreflightStepsTest {

  private final JobHarness h = new JobHarness();
  private final Deque<Verdict> verdicts = new ArrayDeque<>();
  private final List<String> checked = new ArrayList<>();
  private final List<String> jobsChecked = new ArrayList<>();
  private final List<Instant> checkedAt = new ArrayList<>();
  private Runnable onCheck = () -> {};

  private void withPreflight(int maxAttempts) {
    h.preflight =
        Optional.of(
            new Preflight(
                (job, wanted) -> {
                  onCheck.run();
                  jobsChecked.add(job.getJobId());
                  checkedAt.add(h.clock.instant());
                  return verdicts.isEmpty() ? new Verdict.Passed(List.of()) : verdicts.poll();
                },
                Backoff.doubling(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(7)),
                maxAttempts,
                (type, result, rule) -> checked.add(result + "/" + rule)));
    h.rebuild();
  }

  @Test
  void aRefusedInputFailsTheJobUnpaidWithoutAnIntentOrAPost() throws Exception {
    withPreflight(3);
    verdicts.add(
        new Verdict.Rejected(Rule.RATIO, "characterImageUrl (at cdn) is 640x480, not 16:9"));

    h.run(h.commandRecord(JobHarness.ACT_ONE, "ratio-1", JobHarness.actOne("ratio-1")));

    assertThat(h.provider.submits).isEmpty();
    JobState failed = h.job("ratio-1");
    assertThat(failed.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(failed.getOutcome()).isEqualTo("INPUT_REJECTED");
    assertThat(failed.getSubmitAttempts()).isZero();
    assertThat(h.events).hasSize(1);
    RenderFailed event = (RenderFailed) h.events.get(0);
    assertThat(event.getReason()).isEqualTo(FailureReason.INPUT_REJECTED);
    assertThat(event.getMessage()).contains("640x480, not 16:9");
    assertThat(event.getAttempts()).isZero();
    assertThat(checked).containsExactly("rejected/ratio");
    assertThat(Jobs.endedUnpaid(failed)).isTrue();
  }

  @Test
  void aCorrectedCommandRunsAgainAfterARefusal() throws Exception {
    withPreflight(3);
    verdicts.add(new Verdict.Rejected(Rule.REACHABLE, "sourceVideoUrl answered HTTP 404"));
    h.run(h.commandRecord(JobHarness.RESTYLE, "fix-1", JobHarness.restyle("fix-1")));
    assertThat(h.job("fix-1").getPhase()).isEqualTo(JobPhase.FAILED);

    h.run(h.commandRecord(JobHarness.RESTYLE, "fix-1", JobHarness.restyle("fix-1")));

    assertThat(h.provider.submits).containsEntry("fix-1", 1);
    assertThat(h.job("fix-1").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(checked).containsExactly("rejected/reachable", "passed/none");
  }

  @Test
  void aTransientFailureIsCheckedAgainAfterABackoffThenTheJobIsSubmitted() throws Exception {
    withPreflight(4);
    verdicts.add(new Verdict.Transient("sourceVideoUrl: HTTP 503"));
    verdicts.add(new Verdict.Transient("sourceVideoUrl: read timed out"));

    h.run(h.commandRecord(JobHarness.RESTYLE, "flaky-1", JobHarness.restyle("flaky-1")));

    assertThat(checked).containsExactly("retry/none", "retry/none", "passed/none");
    assertThat(h.provider.submits).containsEntry("flaky-1", 1);
    // full jitter (retry.Backoff): the n-th wait lies in [0, 1 s * 2^(n-1)]
    assertThat(Duration.between(checkedAt.get(0), checkedAt.get(1)))
        .isBetween(Duration.ZERO, Duration.ofSeconds(1));
    assertThat(Duration.between(checkedAt.get(1), checkedAt.get(2)))
        .isBetween(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void afterTheLastTransientAttemptTheJobIsSubmittedUnchecked() throws Exception {
    withPreflight(3);
    for (int i = 0; i < 3; i++) {
      verdicts.add(new Verdict.Transient("performanceVideoUrl: HTTP 503"));
    }

    h.run(h.commandRecord(JobHarness.ACT_ONE, "down-1", JobHarness.actOne("down-1")));

    assertThat(checked).containsExactly("retry/none", "retry/none", "gave_up/none");
    assertThat(h.provider.submits).containsEntry("down-1", 1);
    assertThat(h.job("down-1").getPhase()).isEqualTo(JobPhase.POLLING);
  }

  @Test
  void aStoppingWorkerLeavesTheCommandToTheNextOwnerWithNothingWritten() throws Exception {
    withPreflight(5);
    verdicts.add(new Verdict.Transient("sourceVideoUrl: HTTP 503"));
    var record = h.commandRecord(JobHarness.RESTYLE, "stop-1", JobHarness.restyle("stop-1"));
    var first = h.router.route(record, io.renderrelay.worker.engine.Lease.always()).run();
    assertThat(first.next()).isPresent();

    h.accepting = false;
    var second = first.next().get().run();

    assertThat(second.ledger()).isEmpty();
    assertThat(second.records()).isEmpty();
    assertThat(second.next()).isEmpty();
    assertThat(h.provider.submits).isEmpty();
    assertThat(h.store.get(0, "stop-1")).isEmpty();
  }

  @Test
  void aCheckThatEndsTransientlyBecauseTheWorkerStoppedWritesAndCountsNothing() throws Exception {
    withPreflight(5);
    verdicts.add(new Verdict.Transient("no longer wanted while waiting to check the inputs"));
    onCheck = () -> h.accepting = false; // SIGTERM while the check waits for its turn

    h.run(h.commandRecord(JobHarness.RESTYLE, "term-1", JobHarness.restyle("term-1")));

    assertThat(checked).isEmpty();
    assertThat(h.produced).isEmpty();
    assertThat(h.store.get(0, "term-1")).isEmpty();
    assertThat(h.provider.submits).isEmpty();
  }

  @Test
  void withoutPreflightNothingIsChecked() throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, "off-1", JobHarness.restyle("off-1")));
    assertThat(jobsChecked).isEmpty();
    assertThat(h.provider.submits).containsEntry("off-1", 1);
  }
}
