package io.renderrelay.worker.job;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.provider.SubmitPermit;
import io.renderrelay.worker.spend.Pricing;
import io.renderrelay.worker.spend.SpendGuard;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paying for a task exactly once: the budget guard's claim (issue 14), the gate claim and the
 * submit-rate permit are taken first, then an intent (SUBMITTING) is committed, then the POST goes
 * out; the task id is committed with the first poll ticket after it, and anything that leaves the
 * payment in doubt makes the job AMBIGUOUS instead of trying again.
 *
 * <p>Waiting for a permit commits nothing: a shutdown or a revoke during the wait leaves the job as
 * it was (no ledger entry, or QUEUED), which the next owner resumes without doubt. Only an intent
 * whose POST may have started can be found unresolved.
 */
final class SubmitSteps {

  private static final Logger log = LoggerFactory.getLogger(SubmitSteps.class);

  private final JobContext ctx;
  private final Transitions transitions;
  private final PendingSubmits pending = new PendingSubmits();

  SubmitSteps(JobContext ctx, Transitions transitions) {
    this.ctx = ctx;
    this.transitions = transitions;
  }

  /** Takes the permit, commits the intent for a QUEUED job, then submits. */
  StepResult intent(int partition, JobState job, Lease lease) {
    Instant now = ctx.clock().instant();
    StepResult.Builder b = StepResult.builder();
    if (now.isAfter(job.getDeadline())) {
      return transitions
          .fail(
              b,
              partition,
              job,
              FailureReason.DEADLINE_EXCEEDED,
              "deadline passed before the job could be submitted",
              Optional.empty(),
              true)
          .done();
    }
    SpendGuard.Decision spend;
    try {
      spend = ctx.spend().check(job, () -> mayStart(lease));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return leftToNextOwner();
    }
    return switch (spend) {
      case SpendGuard.Go go -> admitted(partition, job, lease, go.claim());
      case SpendGuard.Hold h -> mayStart(lease) ? later(partition, job, lease) : leftToNextOwner();
      case SpendGuard.Exhausted x ->
          transitions
              .fail(
                  b,
                  partition,
                  job,
                  FailureReason.BUDGET_EXHAUSTED,
                  x.why(),
                  Optional.empty(),
                  true)
              .done();
    };
  }

  /** The budget guard let the job through: take the submit permit, then commit the intent. */
  private StepResult admitted(int partition, JobState job, Lease lease, SpendGuard.Claim claim) {
    StepResult.Builder b = StepResult.builder();
    SubmitAdmission.Decision decision = ctx.admission().admit(() -> mayStart(lease));
    if (!(decision instanceof SubmitAdmission.Granted g)) {
      ctx.spend().cancel(claim);
      return decision instanceof SubmitAdmission.GaveUp && !mayStart(lease)
          ? leftToNextOwner()
          : later(partition, job, lease);
    }
    JobState.Builder next =
        transitions
            .updated(job)
            .setPhase(JobPhase.SUBMITTING)
            .setSubmitAttempts(job.getSubmitAttempts() + 1)
            .setTaskId(null);
    Pricing pricing = ctx.spend().pricing();
    if (pricing.priced()) {
      next.setEstimatedCostMicros(cost(job) + claim.costMicros())
          .setCostCurrency(pricing.currency());
    }
    if (ctx.spend().enabled()) {
      next.setTenant(claim.tenant());
    }
    JobState submitting = next.build();
    transitions.move(b, partition, job.getPhase(), submitting, "intent committed before paying");
    ctx.spend().reservation(claim, submitting).ifPresent(b::record);
    pending.add(submitting, g.permit());
    return b.then(() -> submit(partition, submitting, lease, g.permit()), Duration.ZERO);
  }

  private static long cost(JobState job) {
    return job.getEstimatedCostMicros() == null ? 0 : job.getEstimatedCostMicros();
  }

  /** A new paid submit may start: the worker is not stopping and the partition not draining. */
  private boolean mayStart(Lease lease) {
    return lease.valid() && !lease.draining() && ctx.accepting().getAsBoolean();
  }

  /** Nothing committed; the same job tries again later (a stopping worker hands it over). */
  private StepResult later(int partition, JobState job, Lease lease) {
    return StepResult.builder()
        .then(
            () -> intent(partition, reread(partition, job), lease), ctx.rules().submitRetryDelay());
  }

  /**
   * The worker is stopping or the step's partition moved: the step commits nothing, ends now (so a
   * drain does not wait for it) and leaves its source record unconsumed, so the next owner
   * processes it again and finds the job as it was (no ledger entry, or QUEUED).
   */
  static StepResult leftToNextOwner() {
    return new StepResult(List.of(), List.of(), false, Optional.empty(), Duration.ZERO);
  }

  /**
   * A job found SUBMITTING without a task id after a restart: the POST may have happened. The
   * configured policy decides; the default never pays twice silently.
   */
  StepResult unresolved(int partition, JobState job, Lease lease) {
    Instant now = ctx.clock().instant();
    if (now.isBefore(job.getUpdatedAt().plus(ctx.rules().unresolvedSubmitWait()))) {
      // its former owner may be stalled and will say whether it sent the POST: ask again later
      log.info(
          "job {} found SUBMITTING without a task id (intent at {}): waiting until {} for its"
              + " former owner's word before the ambiguous policy applies",
          job.getJobId(),
          job.getUpdatedAt(),
          job.getUpdatedAt().plus(ctx.rules().unresolvedSubmitWait()));
      // (sequence 0: a job that meanwhile started polling, at 1, drops it as stale)
      return StepResult.builder()
          .record(ctx.records().scheduledTicket(partition, job, 0, now))
          .done();
    }
    StepResult.Builder b = StepResult.builder();
    if (ctx.rules().ambiguousPolicy() == AmbiguousPolicy.RESUBMIT) {
      JobState queued = transitions.updated(job).setPhase(JobPhase.QUEUED).build();
      transitions.move(b, partition, job.getPhase(), queued, "ambiguous submit, policy RESUBMIT");
      return b.then(() -> intent(partition, queued, lease), Duration.ZERO);
    }
    return transitions
        .ambiguous(
            b,
            partition,
            job,
            "found an uncommitted submit intent after a restart: the provider may or may not have"
                + " created (and billed) a task; not resubmitted")
        .done();
  }

  /** The intent is committed: POST now, unless the partition moved or the worker is stopping. */
  private StepResult submit(int partition, JobState job, Lease lease, SubmitPermit permit) {
    if (!pending.claim(job)) {
      // swept: "not sent" was said for it, it must never POST now. A step whose partition moved
      // leaves the job to the word and the next owner. A step still owning its record withdraws
      // the intent itself, in its own (fenced) transaction: left unfinished, the record would hold
      // the partition's offsets back until the next rebalance, and finished on the strength of
      // the word alone, the job would stay SUBMITTING for good if that out-of-band send failed.
      // The word, when it comes, is about an intent withdrawn and is dropped as stale.
      return lease.valid()
          ? requeue(
              StepResult.builder(),
              partition,
              job,
              "declared not sent by the sweep before its step ran",
              Duration.ZERO,
              lease)
          : leftToNextOwner();
    }
    if (!lease.valid()) {
      say(job, SubmitWord.notSent(job));
      return leftToNextOwner();
    }
    StepResult.Builder b = StepResult.builder();
    if (!mayStart(lease)) {
      say(job, SubmitWord.notSent(job));
      return requeue(
          b, partition, job, "stopping or draining before the POST was sent", Duration.ZERO, lease);
    }
    // the permit was granted before the intent committed: while it is fresh (its lifetime is well
    // below the group's session timeout), the intent's commit proved ownership recently enough; a
    // step that stalled longer may have lost its partition without knowing: it never POSTs
    if (!ctx.admission().fresh(permit)) {
      say(job, SubmitWord.notSent(job));
      return requeue(
          b,
          partition,
          job,
          "submit permit expired before the POST was sent",
          Duration.ZERO,
          lease);
    }
    Instant now = ctx.clock().instant();
    String taskId;
    try {
      URI callback = ctx.callbacks().callbackUrl(job.getJobId());
      taskId =
          job.getRestyle() != null
              ? ctx.provider().submitRestyle(job.getRestyle(), callback, Optional.of(permit))
              : ctx.provider().submitActOne(job.getActOne(), callback, Optional.of(permit));
    } catch (ProviderException e) {
      if (ownershipUncertain(lease, permit) && nothingTaken(e)) {
        say(job, SubmitWord.notSent(job));
      }
      return submitFailed(b, partition, job, e, lease);
    }
    if (ownershipUncertain(lease, permit)) {
      // this transaction may be fenced: the next owner learns the task id from the word instead
      say(job, SubmitWord.sent(job, taskId));
    }
    return polling(b, partition, job, taskId, now, "provider task created");
  }

  private StepResult polling(
      StepResult.Builder b, int partition, JobState job, String taskId, Instant now, String why) {
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
    transitions.move(b, partition, job.getPhase(), polling, why);
    b.record(ctx.records().scheduledTicket(partition, polling, 1, now));
    return b.done();
  }

  /**
   * A former owner's word on this job's submit (see {@link SubmitWord}): it settles a job found
   * SUBMITTING without a task id in the same intent, without doubt; any other word is stale.
   */
  StepResult word(int partition, JobState job, SubmitWord word, Lease lease) {
    if (job.getPhase() != JobPhase.SUBMITTING || job.getTaskId() != null || !word.about(job)) {
      ctx.listener().staleTicket();
      return StepResult.done();
    }
    StepResult.Builder b = StepResult.builder();
    if (word.taskId().isPresent()) {
      return polling(
          b,
          partition,
          job,
          word.taskId().get(),
          ctx.clock().instant(),
          "the former owner's submit created task " + word.taskId().get());
    }
    return requeue(
        b, partition, job, "the former owner did not send the submit", Duration.ZERO, lease);
  }

  /** The step may have lost its partition without knowing (revoked, or stalled past its permit). */
  private boolean ownershipUncertain(Lease lease, SubmitPermit permit) {
    return !lease.valid() || !ctx.admission().fresh(permit);
  }

  /**
   * Says "not sent" for every intent of this process whose step did not claim it while its permit
   * was fresh (dropped with its partition, or frozen): such a step never POSTs. Runs every second.
   */
  void sweepAbandoned() {
    pending.sweep(ctx.admission()::fresh, intent -> say(intent, SubmitWord.notSent(intent)));
  }

  /** The provider took nothing: the answers {@link #submitFailed} treats as unpaid. */
  private static boolean nothingTaken(ProviderException e) {
    return e instanceof ProviderException.Retryable
        || e instanceof ProviderException.Fatal
        || e instanceof ProviderException.Rejected;
  }

  /** Sends the word at once, outside the step's transaction (which may be fenced). */
  private void say(JobState job, SubmitWord word) {
    ctx.outOfBand().accept(ctx.records().submitWord(job.getJobId(), word, ctx.clock().instant()));
  }

  private StepResult submitFailed(
      StepResult.Builder b, int partition, JobState job, ProviderException e, Lease lease) {
    return switch (e) {
      case ProviderException.Retryable r ->
          requeue(
              b,
              partition,
              job,
              r.getMessage(),
              r.retryAfter().orElse(ctx.rules().submitRetryDelay()),
              lease);
      case ProviderException.Fatal f ->
          requeue(
              b,
              partition,
              job,
              "submissions stopped: " + f.reason(),
              ctx.rules().submitRetryDelay(),
              lease);
      case ProviderException.Rejected r ->
          transitions
              .fail(
                  b,
                  partition,
                  notPaid(job),
                  FailureReason.SUBMIT_REJECTED,
                  r.getMessage(),
                  Optional.empty(),
                  false)
              .done();
      case ProviderException.Ambiguous a ->
          transitions.ambiguous(b, partition, job, "submit answer lost: " + a.getMessage()).done();
      case ProviderException.TaskNotFound t ->
          transitions
              .ambiguous(b, partition, job, "unexpected submit answer: " + t.getMessage())
              .done();
    };
  }

  /** The provider did not take the submit: nothing was paid; withdraw the intent and try later. */
  private StepResult requeue(
      StepResult.Builder b, int partition, JobState job, String why, Duration delay, Lease lease) {
    JobState queued = notPaid(job);
    transitions.move(b, partition, job.getPhase(), queued, why);
    return b.then(() -> intent(partition, reread(partition, queued), lease), delay);
  }

  private JobState notPaid(JobState job) {
    JobState.Builder b =
        transitions
            .updated(job)
            .setPhase(JobPhase.QUEUED)
            .setSubmitAttempts(Math.max(0, job.getSubmitAttempts() - 1));
    if (job.getEstimatedCostMicros() != null) {
      long left = job.getEstimatedCostMicros() - ctx.spend().pricing().estimate(job);
      b.setEstimatedCostMicros(left > 0 ? left : null);
    }
    return b.build();
  }

  private JobState reread(int partition, JobState fallback) {
    return ctx.ledger().get(partition, fallback.getJobId()).orElse(fallback);
  }
}
