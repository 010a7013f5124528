package io.renderrelay.worker.job.intake;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.preflight.Preflight;
import io.renderrelay.worker.preflight.Verdict;
import java.time.Clock;
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
final class PreflightSteps {

  private static final Logger log = LoggerFactory.getLogger(PreflightSteps.class);

  private final Optional<Preflight> preflight;
  private final Transitions transitions;
  private final SubmitSteps submits;
  private final BooleanSupplier accepting;
  private final Clock clock;

  PreflightSteps(
      Optional<Preflight> preflight,
      Transitions transitions,
      SubmitSteps submits,
      BooleanSupplier accepting,
      Clock clock) {
    this.preflight = preflight;
    this.transitions = transitions;
    this.submits = submits;
    this.accepting = accepting;
    this.clock = clock;
  }

  /** Checks a newly accepted job's inputs (attempt 1), then goes on to its submit intent. */
  StepResult check(JobStep step, JobState job) {
    return preflight.isEmpty() ? submits.intent(step, job) : check(step, job, preflight.get(), 1);
  }

  private StepResult check(JobStep step, JobState job, Preflight p, int attempt) {
    BooleanSupplier wanted = () -> step.mayStart(accepting);
    if (!wanted.getAsBoolean()) {
      return StepResult.handOver();
    }
    if (clock.instant().isAfter(job.getDeadline())) {
      return submits.intent(step, job); // fails it: deadline exceeded
    }
    Verdict verdict = p.check().check(job, wanted);
    if (verdict instanceof Verdict.Transient && !wanted.getAsBoolean()) {
      return StepResult.handOver(); // stopped while waiting: nothing written, not counted
    }
    return switch (verdict) {
      case Verdict.Passed passed -> {
        boolean unchecked = !passed.unchecked().isEmpty();
        p.listener().checked(job.getJobType(), unchecked ? "unchecked" : "passed", "none");
        if (unchecked) {
          logFor(job, "input pre-flight passed with parts unchecked: {}", passed.unchecked());
        }
        yield submits.intent(step, job);
      }
      case Verdict.Rejected r -> {
        p.listener().checked(job.getJobType(), "rejected", r.rule().tag());
        yield transitions.fail(
            step, job, Failure.permanent(FailureReason.INPUT_REJECTED, r.reason()));
      }
      case Verdict.Transient t when attempt < p.maxAttempts() -> {
        p.listener().checked(job.getJobType(), "retry", "none");
        logFor(job, "input pre-flight failed transiently (attempt {}): {}", attempt, t.reason());
        yield step.then(next -> check(next, job, p, attempt + 1), p.backoff().delay(attempt));
      }
      case Verdict.Transient t -> {
        p.listener().checked(job.getJobType(), "gave_up", "none");
        logFor(
            job,
            "input pre-flight still failing after {} attempts, submitting unchecked: {}",
            attempt,
            t.reason());
        yield submits.intent(step, job);
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
