package io.renderrelay.worker.job.core;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.dlt.DeadLetters;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.spend.SpendGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes a job's state transitions: the ledger entry, the terminal event when there is one, one log
 * line per transition (jobId and task id in the MDC) and the metric.
 */
public final class Transitions {

  private static final Logger log =
      LoggerFactory.getLogger("io.renderrelay.worker.job.transitions");

  private final LedgerReader ledger;
  private final JobRecords records;
  private final EventFactory events;
  private final DeadLetters deadLetters;
  private final SpendGuard spend;
  private final JobListener listener;
  private final Clock clock;

  public Transitions(
      LedgerReader ledger,
      JobRecords records,
      EventFactory events,
      DeadLetters deadLetters,
      SpendGuard spend,
      JobListener listener,
      Clock clock) {
    this.ledger = ledger;
    this.records = records;
    this.events = events;
    this.deadLetters = deadLetters;
    this.spend = spend;
    this.listener = listener;
    this.clock = clock;
  }

  /** Records a move of the job from phase {@code from} to {@code next}'s phase. */
  public JobStep move(JobStep step, JobPhase from, JobState next, String why) {
    if (from != next.getPhase() && spend.enabled()) {
      ledger
          .get(step.partition(), next.getJobId())
          .flatMap(before -> spend.closing(before, next))
          .ifPresent(step::record); // issue 14: the reservation ends with the paid phases
    }
    records.ledger(step.effects(), step.partition(), next);
    if (from != next.getPhase()) {
      String outcome = next.getOutcome() == null ? next.getPhase().name() : next.getOutcome();
      listener.transition(next.getJobType(), from, next.getPhase(), outcome);
      ended(next); // issue 17: time to terminal event, end-to-end latency
      logTransition(next, from, why);
    }
    return step;
  }

  /** Reports a terminal phase (COMPLETED or FAILED, with its event) with its latencies. */
  private void ended(JobState job) {
    if (job.getPhase() != JobPhase.COMPLETED && job.getPhase() != JobPhase.FAILED) {
      return;
    }
    Instant now = clock.instant();
    Instant requested = JobCommand.of(job).map(JobCommand::requestedAt).orElse(job.getCreatedAt());
    listener.jobEnded(
        job.getJobType(),
        job.getPhase() == JobPhase.COMPLETED,
        Duration.between(job.getCreatedAt(), now),
        Duration.between(requested, now));
  }

  /** Ends the job with a RenderFailed event; the step is done. */
  public StepResult fail(JobStep step, JobState job, Failure failure) {
    JobState failed =
        updated(job).setPhase(JobPhase.FAILED).setOutcome(failure.reason().name()).build();
    move(step, job.getPhase(), failed, failure.reason() + ": " + failure.message());
    return step.record(
            records.event(job.getJobId(), events.failed(failed, failure, clock.instant())))
        .done();
  }

  /**
   * The submit may or may not have reached the provider: fail the job as AMBIGUOUS, tell
   * downstream, and dead-letter the command for an operator. Never a quiet resubmit. The step is
   * done.
   */
  public StepResult ambiguous(JobStep step, JobState job, String message) {
    JobState amb =
        updated(job)
            .setPhase(JobPhase.AMBIGUOUS)
            .setOutcome(FailureReason.AMBIGUOUS_SUBMIT.name())
            .build();
    move(step, job.getPhase(), amb, message);
    Failure failure =
        Failure.permanent(FailureReason.AMBIGUOUS_SUBMIT, message)
            .status(job.getLastProviderStatus());
    step.record(records.event(job.getJobId(), events.failed(amb, failure, clock.instant())));
    listener.deadLetter(DeadLetterReason.AMBIGUOUS_SUBMIT);
    return step.record(
            deadLetters.ofCommand(
                records.commandTopic(job.getJobType()),
                JobRecords.key(job.getJobId()),
                records.commandValue(job),
                DeadLetterReason.AMBIGUOUS_SUBMIT,
                message))
        .done();
  }

  /**
   * The job's next entry, stamped with this writer's clock. A running not-found grace is carried
   * over onto the same clock: {@code updatedAt - notFoundSince} (the time waited so far) stays what
   * the previous writer recorded, so no decision ever subtracts two machines' clocks.
   */
  public JobState.Builder updated(JobState job) {
    Instant now = clock.instant();
    JobState.Builder b = JobState.newBuilder(job).setUpdatedAt(now);
    if (job.getNotFoundSince() != null) {
      Duration waited = Duration.between(job.getNotFoundSince(), job.getUpdatedAt());
      b.setNotFoundSince(now.minus(waited.isNegative() ? Duration.ZERO : waited));
    }
    return b;
  }

  private static void logTransition(JobState job, JobPhase from, String why) {
    MDC.put("jobId", job.getJobId());
    if (job.getTaskId() != null) {
      MDC.put("taskId", job.getTaskId());
    }
    try {
      log.info(
          "job {} -> {} type={} attempts={} polls={} reason={}",
          from,
          job.getPhase(),
          job.getJobType(),
          job.getSubmitAttempts(),
          job.getPolls(),
          why);
    } finally {
      MDC.remove("jobId");
      MDC.remove("taskId");
    }
  }
}
