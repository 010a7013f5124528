package io.renderrelay.worker.job.core;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.JobContext;
import io.renderrelay.worker.job.state.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
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

  private final JobContext ctx;

  public Transitions(JobContext ctx) {
    this.ctx = ctx;
  }

  /** Records a move of the job to {@code next}'s phase. */
  public StepResult.Builder move(
      StepResult.Builder b, int partition, JobPhase from, JobState next, String why) {
    if (from != next.getPhase() && ctx.spend().enabled()) {
      ctx.ledger()
          .get(partition, next.getJobId())
          .flatMap(before -> ctx.spend().closing(before, next))
          .ifPresent(b::record); // issue 14: the reservation ends with the paid phases
    }
    ctx.records().ledger(b, partition, next);
    if (from != next.getPhase()) {
      String outcome = next.getOutcome() == null ? next.getPhase().name() : next.getOutcome();
      ctx.listener().transition(next.getJobType(), from, next.getPhase(), outcome);
      ended(next); // issue 17: time to terminal event, end-to-end latency
      logTransition(next, from, why);
    }
    return b;
  }

  /** Reports a terminal phase (COMPLETED or FAILED, with its event) with its latencies. */
  private void ended(JobState job) {
    if (job.getPhase() != JobPhase.COMPLETED && job.getPhase() != JobPhase.FAILED) {
      return;
    }
    java.time.Instant now = ctx.clock().instant();
    java.time.Instant requested =
        job.getRestyle() == null && job.getActOne() == null
            ? job.getCreatedAt()
            : Jobs.requestedAt(job);
    ctx.listener()
        .jobEnded(
            job.getJobType(),
            job.getPhase() == JobPhase.COMPLETED,
            java.time.Duration.between(job.getCreatedAt(), now),
            java.time.Duration.between(requested, now));
  }

  /** Ends the job with a RenderFailed event. */
  public StepResult.Builder fail(
      StepResult.Builder b,
      int partition,
      JobState job,
      FailureReason reason,
      String message,
      Optional<String> providerStatus,
      boolean retryable) {
    JobState failed = updated(job).setPhase(JobPhase.FAILED).setOutcome(reason.name()).build();
    move(b, partition, job.getPhase(), failed, reason + ": " + message);
    return b.record(
        ctx.records()
            .event(
                job.getJobId(),
                ctx.events()
                    .failed(
                        failed,
                        reason,
                        message,
                        providerStatus,
                        retryable,
                        ctx.clock().instant())));
  }

  /**
   * The submit may or may not have reached the provider: fail the job as AMBIGUOUS, tell
   * downstream, and dead-letter the command for an operator. Never a quiet resubmit.
   */
  public StepResult.Builder ambiguous(
      StepResult.Builder b, int partition, JobState job, String message) {
    JobState amb =
        updated(job)
            .setPhase(JobPhase.AMBIGUOUS)
            .setOutcome(FailureReason.AMBIGUOUS_SUBMIT.name())
            .build();
    move(b, partition, job.getPhase(), amb, message);
    b.record(
        ctx.records()
            .event(
                job.getJobId(),
                ctx.events()
                    .failed(
                        amb,
                        FailureReason.AMBIGUOUS_SUBMIT,
                        message,
                        Optional.ofNullable(job.getLastProviderStatus()),
                        false,
                        ctx.clock().instant())));
    ctx.listener().deadLetter(DeadLetterReason.AMBIGUOUS_SUBMIT);
    return b.record(
        ctx.deadLetters()
            .ofCommand(
                ctx.records().commandTopic(job.getJobType()),
                JobRecords.key(job.getJobId()),
                ctx.records().commandValue(job),
                DeadLetterReason.AMBIGUOUS_SUBMIT,
                message));
  }

  /**
   * The job's next entry, stamped with this writer's clock. A running not-found grace is carried
   * over onto the same clock: {@code updatedAt - notFoundSince} (the time waited so far) stays what
   * the previous writer recorded, so no decision ever subtracts two machines' clocks.
   */
  public JobState.Builder updated(JobState job) {
    Instant now = ctx.clock().instant();
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
