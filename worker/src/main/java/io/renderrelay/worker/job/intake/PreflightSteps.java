package io.renderrelay.worker.job.intake;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.JobContext;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.preflight.Preflight;
import io.renderrelay.worker.preflight.Verdict;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The optional input check of a new job, before anything is committed or paid (issue 14): a refused
 * input ends the job unpaid as RenderFailed INPUT_REJECTED; a transient failure is checked again
 * after a backoff, and after the last attempt the job goes on to its submit unchecked (the inputs
 * may well be reachable for the provider; paying for a failing task is what happens without the
 * check). Nothing is written while it waits: a restart or a revoke checks the command again.
 */
public final class PreflightSteps {

  private static final Logger log = LoggerFactory.getLogger(PreflightSteps.class);

  private final JobContext ctx;
  private final Transitions transitions;
  private final SubmitSteps submits;
  private final Optional<Preflight> preflight;

  public PreflightSteps(
      JobContext ctx, Transitions transitions, SubmitSteps submits, Optional<Preflight> preflight) {
    this.ctx = ctx;
    this.transitions = transitions;
    this.submits = submits;
    this.preflight = preflight;
  }

  /** Checks a newly accepted job's inputs (attempt 1), then goes on to its submit intent. */
  public StepResult check(int partition, JobState job, Lease lease) {
    return preflight.isEmpty()
        ? submits.intent(partition, job, lease)
        : check(partition, job, lease, preflight.get(), 1);
  }

  private StepResult check(int partition, JobState job, Lease lease, Preflight p, int attempt) {
    BooleanSupplier wanted =
        () -> lease.valid() && !lease.draining() && ctx.accepting().getAsBoolean();
    if (!wanted.getAsBoolean()) {
      return SubmitSteps.leftToNextOwner();
    }
    if (ctx.clock().instant().isAfter(job.getDeadline())) {
      return submits.intent(partition, job, lease); // fails it: deadline exceeded
    }
    Verdict verdict = p.check().check(job, wanted);
    if (verdict instanceof Verdict.Transient && !wanted.getAsBoolean()) {
      return SubmitSteps.leftToNextOwner(); // stopped while waiting: nothing written, not counted
    }
    return switch (verdict) {
      case Verdict.Passed passed -> {
        boolean unchecked = !passed.unchecked().isEmpty();
        p.listener().checked(job.getJobType(), unchecked ? "unchecked" : "passed", "none");
        if (unchecked) {
          logFor(job, "input pre-flight passed with parts unchecked: {}", passed.unchecked());
        }
        yield submits.intent(partition, job, lease);
      }
      case Verdict.Rejected r -> {
        p.listener().checked(job.getJobType(), "rejected", r.rule().tag());
        yield transitions
            .fail(
                StepResult.builder(),
                partition,
                job,
                FailureReason.INPUT_REJECTED,
                r.reason(),
                Optional.empty(),
                false)
            .done();
      }
      case Verdict.Transient t when attempt < p.maxAttempts() -> {
        p.listener().checked(job.getJobType(), "retry", "none");
        logFor(job, "input pre-flight failed transiently (attempt {}): {}", attempt, t.reason());
        yield StepResult.builder()
            .then(() -> check(partition, job, lease, p, attempt + 1), p.backoff().delay(attempt));
      }
      case Verdict.Transient t -> {
        p.listener().checked(job.getJobType(), "gave_up", "none");
        logFor(
            job,
            "input pre-flight still failing after {} attempts, submitting unchecked: {}",
            attempt,
            t.reason());
        yield submits.intent(partition, job, lease);
      }
    };
  }

  private static void logFor(JobState job, String format, Object... args) {
    MDC.put("jobId", job.getJobId());
    try {
      log.warn(format, args);
    } finally {
      MDC.remove("jobId");
    }
  }
}
