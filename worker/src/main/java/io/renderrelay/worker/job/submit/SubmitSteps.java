package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.CallbackTokens;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.SubmitAdmission;
import io.renderrelay.worker.spend.Pricing;
import io.renderrelay.worker.spend.SpendGuard;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Paying for a task exactly once: the budget guard's claim (issue 14), the gate claim and the
 * submit-rate permit are taken first, then an intent (SUBMITTING) is committed, then the POST goes
 * out ({@link SubmitCall}); the task id is committed with the first poll ticket after it, and
 * anything that leaves the payment in doubt makes the job AMBIGUOUS instead of trying again.
 *
 * <p>Waiting for a permit commits nothing: a shutdown or a revoke during the wait leaves the job as
 * it was (no ledger entry, or QUEUED), which the next owner resumes without doubt. Only an intent
 * whose POST may have started can be found unresolved ({@link Unresolved}).
 */
public final class SubmitSteps {

  private final SubmitAdmission admission;
  private final SpendGuard spend;
  private final Transitions transitions;
  private final LedgerReader ledger;
  private final Duration retryDelay;
  private final BooleanSupplier accepting;
  private final Clock clock;
  private final PendingSubmits pending = new PendingSubmits();
  private final Words words;
  private final SubmitCall call;
  private final Unresolved unresolved;

  /**
   * @param accepting false once the worker is stopping: no new paid submit starts
   * @param outOfBand sends a record at once, outside any transaction (a former owner's {@link
   *     SubmitWord}, which must get through even when its transactions are fenced)
   */
  public SubmitSteps(
      ProviderClient provider,
      CallbackTokens callbacks,
      SubmitAdmission admission,
      SpendGuard spend,
      JobRecords records,
      Transitions transitions,
      LedgerReader ledger,
      JobRules rules,
      BooleanSupplier accepting,
      Consumer<ProducerRecord<byte[], byte[]>> outOfBand,
      JobListener listener,
      Clock clock) {
    this.admission = admission;
    this.spend = spend;
    this.transitions = transitions;
    this.ledger = ledger;
    this.retryDelay = rules.submitRetryDelay();
    this.accepting = accepting;
    this.clock = clock;
    this.words = new Words(records, outOfBand, clock);
    this.call =
        new SubmitCall(
            provider,
            callbacks,
            admission,
            spend.pricing(),
            records,
            transitions,
            pending,
            words,
            retryDelay,
            accepting,
            (step, job) -> intent(step, reread(step, job)),
            clock);
    this.unresolved =
        new Unresolved(rules, records, transitions, call, this::intent, listener, clock);
  }

  /** Takes the permit, commits the intent for a QUEUED job, then submits. */
  public StepResult intent(JobStep step, JobState job) {
    if (clock.instant().isAfter(job.getDeadline())) {
      return transitions.fail(
          step,
          job,
          Failure.retryable(
              FailureReason.DEADLINE_EXCEEDED,
              "deadline passed before the job could be submitted"));
    }
    SpendGuard.Decision decision;
    try {
      decision = spend.check(job, () -> step.mayStart(accepting));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return StepResult.handOver();
    }
    return switch (decision) {
      case SpendGuard.Go go -> admitted(step, job, go.claim());
      case SpendGuard.Hold h -> step.mayStart(accepting) ? later(step, job) : StepResult.handOver();
      case SpendGuard.Exhausted x ->
          transitions.fail(step, job, Failure.retryable(FailureReason.BUDGET_EXHAUSTED, x.why()));
    };
  }

  /** The budget guard let the job through: take the submit permit, then commit the intent. */
  private StepResult admitted(JobStep step, JobState job, SpendGuard.Claim claim) {
    SubmitAdmission.Decision decision = admission.admit(() -> step.mayStart(accepting));
    if (!(decision instanceof SubmitAdmission.Granted g)) {
      spend.cancel(claim);
      return decision instanceof SubmitAdmission.GaveUp && !step.mayStart(accepting)
          ? StepResult.handOver()
          : later(step, job);
    }
    JobState.Builder next =
        transitions
            .updated(job)
            .setPhase(JobPhase.SUBMITTING)
            .setSubmitAttempts(job.getSubmitAttempts() + 1)
            .setTaskId(null);
    Pricing pricing = spend.pricing();
    if (pricing.priced()) {
      next.setEstimatedCostMicros(cost(job) + claim.costMicros())
          .setCostCurrency(pricing.currency());
    }
    if (spend.enabled()) {
      next.setTenant(claim.tenant());
    }
    JobState submitting = next.build();
    transitions.move(step, job.getPhase(), submitting, "intent committed before paying");
    spend.reservation(claim, submitting).ifPresent(step::record);
    pending.add(submitting, g.permit());
    return step.then(s -> call.submit(s, submitting, g.permit()), Duration.ZERO);
  }

  private static long cost(JobState job) {
    return job.getEstimatedCostMicros() == null ? 0 : job.getEstimatedCostMicros();
  }

  /** Nothing committed; the same job tries again later (a stopping worker hands it over). */
  private StepResult later(JobStep step, JobState job) {
    return step.then(next -> intent(next, reread(next, job)), retryDelay);
  }

  /**
   * A job found SUBMITTING without a task id after a restart: the POST may have happened (see
   * {@link Unresolved}).
   */
  public StepResult unresolved(JobStep step, JobState job) {
    return unresolved.found(step, job);
  }

  /** A former owner's word on this job's submit (see {@link SubmitWord}). */
  public StepResult word(JobStep step, JobState job, SubmitWord word) {
    if (job.getPhase() == JobPhase.QUEUED) {
      // a word meets a QUEUED job only when no step of this job is pending here (steps of one job
      // run one after another): the requeue it caused committed, but the partition moved before
      // the next intent ran; the word, delivered again, is all that is left to drive the job
      return intent(step, job);
    }
    return unresolved.word(step, job, word);
  }

  /**
   * Says "not sent" for every intent of this process whose step did not claim it while its permit
   * was fresh (dropped with its partition, or frozen): such a step never POSTs. Runs every second.
   */
  public void sweepAbandoned() {
    pending.sweep(admission::fresh, intent -> words.say(intent, SubmitWord.notSent(intent)));
  }

  private JobState reread(JobStep step, JobState fallback) {
    return ledger.get(step.partition(), fallback.getJobId()).orElse(fallback);
  }
}
