package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobAction;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.provider.SubmitPermit;
import io.renderrelay.worker.spend.Pricing;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The paid half of a submit, once its intent is committed: the POST, unless the partition moved or
 * the worker is stopping, and what the provider's answer makes of the job.
 */
final class SubmitCall {

  private final ProviderClient provider;
  private final CallbackTokens callbacks;
  private final SubmitAdmission admission;
  private final Pricing pricing;
  private final JobRecords records;
  private final Transitions transitions;
  private final PendingSubmits pending;
  private final Words words;
  private final Duration retryDelay;
  private final BooleanSupplier accepting;
  private final JobAction retry;
  private final Clock clock;

  /**
   * @param retry the submit of a job whose intent was withdrawn, tried again
   */
  SubmitCall(
      ProviderClient provider,
      CallbackTokens callbacks,
      SubmitAdmission admission,
      Pricing pricing,
      JobRecords records,
      Transitions transitions,
      PendingSubmits pending,
      Words words,
      Duration retryDelay,
      BooleanSupplier accepting,
      JobAction retry,
      Clock clock) {
    this.provider = provider;
    this.callbacks = callbacks;
    this.admission = admission;
    this.pricing = pricing;
    this.records = records;
    this.transitions = transitions;
    this.pending = pending;
    this.words = words;
    this.retryDelay = retryDelay;
    this.accepting = accepting;
    this.retry = retry;
    this.clock = clock;
  }

  /** The intent is committed: POST now, unless the partition moved or the worker is stopping. */
  StepResult submit(JobStep step, JobState job, SubmitPermit permit) {
    if (!pending.claim(job)) {
      // swept: "not sent" was said for it, it must never POST now. A step whose partition moved
      // leaves the job to the word and the next owner. A step still owning its record withdraws
      // the intent itself, in its own (fenced) transaction: left unfinished, the record would hold
      // the partition's offsets back until the next rebalance, and finished on the strength of
      // the word alone, the job would stay SUBMITTING for good if that out-of-band send failed.
      // The word, when it comes, is about an intent withdrawn and is dropped as stale.
      return step.lease().valid()
          ? requeue(step, job, "declared not sent by the sweep before its step ran", Duration.ZERO)
          : StepResult.handOver();
    }
    if (!step.lease().valid()) {
      words.say(job, SubmitWord.notSent(job));
      return StepResult.handOver();
    }
    if (!step.mayStart(accepting)) {
      words.say(job, SubmitWord.notSent(job));
      return requeue(step, job, "stopping or draining before the POST was sent", Duration.ZERO);
    }
    // the permit was granted before the intent committed: while it is fresh (its lifetime is well
    // below the group's session timeout), the intent's commit proved ownership recently enough; a
    // step that stalled longer may have lost its partition without knowing: it never POSTs
    if (!admission.fresh(permit)) {
      words.say(job, SubmitWord.notSent(job));
      return requeue(step, job, "submit permit expired before the POST was sent", Duration.ZERO);
    }
    Instant now = clock.instant();
    String taskId;
    try {
      taskId = post(job, permit);
    } catch (ProviderException e) {
      if (ownershipUncertain(step, permit) && nothingTaken(e)) {
        words.say(job, SubmitWord.notSent(job));
      }
      return failed(step, job, e);
    }
    // said at once, before the transaction that records the task: if that transaction never
    // commits (the process froze or died before the commit and the partition moved), the next
    // owner learns the task id from the word instead of declaring the paid job AMBIGUOUS; when
    // it commits, the word finds the job POLLING and is dropped as stale
    words.say(job, SubmitWord.sent(job, taskId));
    return polling(step, job, taskId, now, "provider task created");
  }

  private String post(JobState job, SubmitPermit permit) throws ProviderException {
    URI callback = callbacks.callbackUrl(job.getJobId());
    return switch (Jobs.command(job)) {
      case JobCommand.Restyle r -> provider.submitRestyle(r.avro(), callback, Optional.of(permit));
      case JobCommand.ActOne a -> provider.submitActOne(a.avro(), callback, Optional.of(permit));
    };
  }

  /** The job has its task: it polls from now on, its first ticket in this step's transaction. */
  StepResult polling(JobStep step, JobState job, String taskId, Instant now, String why) {
    JobState polling =
        transitions
            .updated(job)
            .setPhase(JobPhase.POLLING)
            .setTaskId(taskId)
            .setSubmittedAt(now)
            .setPollSeq(1)
            .setNotFoundSince(null)
            .setLastProviderStatus(null)
            .build();
    transitions.move(step, job.getPhase(), polling, why);
    return step.record(records.scheduledTicket(step.partition(), polling, 1, now)).done();
  }

  /** The step may have lost its partition without knowing (revoked, or stalled past its permit). */
  private boolean ownershipUncertain(JobStep step, SubmitPermit permit) {
    return !step.lease().valid() || !admission.fresh(permit);
  }

  /** The provider took nothing: the answers {@link #failed} treats as unpaid. */
  private static boolean nothingTaken(ProviderException e) {
    return e instanceof ProviderException.Retryable
        || e instanceof ProviderException.Fatal
        || e instanceof ProviderException.Rejected;
  }

  private StepResult failed(JobStep step, JobState job, ProviderException e) {
    return switch (e) {
      case ProviderException.Retryable r ->
          requeue(step, job, r.getMessage(), r.retryAfter().orElse(retryDelay));
      case ProviderException.Fatal f ->
          requeue(step, job, "submissions stopped: " + f.reason(), retryDelay);
      case ProviderException.Rejected r ->
          transitions.fail(
              step, notPaid(job), Failure.permanent(FailureReason.SUBMIT_REJECTED, r.getMessage()));
      case ProviderException.Ambiguous a ->
          transitions.ambiguous(step, job, "submit answer lost: " + a.getMessage());
      case ProviderException.TaskNotFound t ->
          transitions.ambiguous(step, job, "unexpected submit answer: " + t.getMessage());
    };
  }

  /** The provider did not take the submit: nothing was paid; withdraw the intent and try later. */
  StepResult requeue(JobStep step, JobState job, String why, Duration delay) {
    JobState queued = notPaid(job);
    transitions.move(step, job.getPhase(), queued, why);
    return step.then(next -> retry.run(next, queued), delay);
  }

  private JobState notPaid(JobState job) {
    JobState.Builder b =
        transitions
            .updated(job)
            .setPhase(JobPhase.QUEUED)
            .setSubmitAttempts(Math.max(0, job.getSubmitAttempts() - 1));
    if (job.getEstimatedCostMicros() != null) {
      long left = job.getEstimatedCostMicros() - pricing.estimate(job);
      b.setEstimatedCostMicros(left > 0 ? left : null);
    }
    return b.build();
  }
}
