package io.renderrelay.worker.job.poll;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.TicketKind;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.complete.CompleteSteps;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobAction;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobRules;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.StatusNormaliser;
import io.renderrelay.worker.provider.TaskFailure;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.storage.PriorCopies;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One due poll of a job: ask the provider, then schedule the next ticket, hand a finished render to
 * {@link CompleteSteps}, resubmit a refunded failure, or fail the job. A callback's "poll now"
 * ticket polls the same way but never starts a second ticket chain.
 */
public final class PollSteps {

  private static final Logger log = LoggerFactory.getLogger(PollSteps.class);

  private final ProviderClient provider;
  private final JobRecords records;
  private final Transitions transitions;
  private final CompleteSteps complete;
  private final JobAction resubmit;
  private final Duration notFoundGrace;
  private final int maxResubmits;
  private final Clock clock;
  private final StatusNormaliser statuses = new StatusNormaliser();

  /**
   * @param resubmit the submit of a job whose task the provider failed and refunded
   */
  public PollSteps(
      ProviderClient provider,
      JobRecords records,
      Transitions transitions,
      CompleteSteps complete,
      JobAction resubmit,
      JobRules rules,
      Clock clock) {
    this.provider = provider;
    this.records = records;
    this.transitions = transitions;
    this.complete = complete;
    this.resubmit = resubmit;
    this.notFoundGrace = rules.taskNotFoundGrace();
    this.maxResubmits = rules.maxResubmits();
    this.clock = clock;
  }

  /**
   * Polls the job's task. The task's status comes first: a render that already succeeded is copied
   * even when it is polled after the deadline; only a task not finished by then fails the job.
   *
   * @param waited the scheduled delay of the ticket that led here (zero for a callback ticket): the
   *     not-found grace counts these delays, never a difference of two machines' clocks
   */
  public StepResult poll(JobStep step, JobState job, TicketKind kind, Duration waited) {
    Instant now = clock.instant();
    boolean late = now.isAfter(job.getDeadline());
    TaskSnapshot task;
    try {
      task = provider.getTask(job.getTaskId());
    } catch (ProviderException.TaskNotFound e) {
      return late ? deadline(step, job) : notFound(step, job, kind, waited, now);
    } catch (ProviderException e) {
      log.debug("poll of {} failed transiently: {}", job.getJobId(), e.getMessage());
      return late ? deadline(step, job) : next(step, job, kind, job.getLastProviderStatus(), now);
    }
    // the ledger shows whether an earlier poll saw the render done (and so may have copied)
    PriorCopies prior =
        statuses.normalise(job.getLastProviderStatus()) == TaskStatus.SUCCEEDED
            ? PriorCopies.POSSIBLE
            : PriorCopies.NONE;
    if (task.status() == TaskStatus.SUCCEEDED) {
      learn(job, kind, now);
    }
    JobState seen =
        transitions
            .updated(job)
            .setNotFoundSince(null)
            .setLastProviderStatus(task.rawStatus())
            .build();
    return switch (task.status()) {
      case PENDING, RUNNING, UNKNOWN ->
          late ? deadline(step, seen) : next(step, seen, kind, task.rawStatus(), now);
      case SUCCEEDED ->
          complete.copy(
              step, seen, task, now, prior, (s, j) -> next(s, j, kind, task.rawStatus(), now));
      case CANCELLED ->
          transitions.fail(
              step,
              seen,
              Failure.retryable(FailureReason.CANCELLED, "the provider cancelled the task")
                  .status(task.rawStatus()));
      case FAILED -> failed(step, seen, task);
    };
  }

  /**
   * Teaches the poll plan how long the job's render took: since its submit, to this poll when a
   * callback announced the end, else to the middle between the last poll (the entry's last update)
   * and this one. Both instants are this worker's (a job that moved between workers is skipped when
   * the two disagree in sign).
   */
  private void learn(JobState job, TicketKind kind, Instant now) {
    Instant submitted = job.getSubmittedAt();
    if (submitted == null) {
      return;
    }
    Instant end = now;
    if (kind != TicketKind.CALLBACK && job.getUpdatedAt().isAfter(submitted)) {
      end = job.getUpdatedAt().plus(Duration.between(job.getUpdatedAt(), now).dividedBy(2));
    } else if (kind != TicketKind.CALLBACK) {
      end = submitted.plus(Duration.between(submitted, now).dividedBy(2));
    }
    Duration took = Duration.between(submitted, end);
    if (!took.isNegative()) {
      records.renderTimes().observe(job.getJobType(), took, kind == TicketKind.CALLBACK);
    }
  }

  private StepResult deadline(JobStep step, JobState job) {
    return transitions.fail(
        step,
        job,
        Failure.retryable(
                FailureReason.DEADLINE_EXCEEDED,
                "no result from the provider before the job's deadline " + job.getDeadline())
            .status(job.getLastProviderStatus()));
  }

  /**
   * The provider does not know the task. The time waited so far is {@code updatedAt -
   * notFoundSince} of the entry (both written by one writer, see {@link Transitions#updated}) plus
   * the ticket's scheduled delay; past the grace the task is lost.
   */
  private StepResult notFound(
      JobStep step, JobState job, TicketKind kind, Duration waited, Instant now) {
    Duration total = Duration.ZERO; // the first answer that does not know the task
    if (job.getNotFoundSince() != null) {
      Duration before = Duration.between(job.getNotFoundSince(), job.getUpdatedAt());
      total = (before.isNegative() ? Duration.ZERO : before).plus(waited);
    }
    Instant since = now.minus(total);
    if (total.compareTo(notFoundGrace) > 0) {
      return transitions.fail(
          step,
          job,
          Failure.retryable(
              FailureReason.TASK_LOST,
              "the provider does not know task "
                  + job.getTaskId()
                  + " for "
                  + total.toSeconds()
                  + " s of polls (since about "
                  + since
                  + ")"));
    }
    JobState waiting = transitions.updated(job).setNotFoundSince(since).build();
    return next(step, waiting, kind, job.getLastProviderStatus(), now);
  }

  private StepResult failed(JobStep step, JobState job, TaskSnapshot task) {
    TaskFailure failure = task.failure().orElse(new TaskFailure(false, false, "no reason given"));
    if (failure.moderation()) {
      return transitions.fail(
          step,
          job,
          Failure.permanent(FailureReason.MODERATION, failure.reason()).status(task.rawStatus()));
    }
    if (!failure.refunded()) {
      return transitions.fail(
          step,
          job,
          Failure.permanent(
                  FailureReason.PROVIDER_FAILED,
                  failure.reason() + " (not refunded by the provider: not resubmitted)")
              .status(task.rawStatus()));
    }
    if (job.getSubmitAttempts() <= maxResubmits) {
      JobState queued =
          transitions.updated(job).setPhase(JobPhase.QUEUED).setTaskId(null).setPollSeq(0).build();
      transitions.move(
          step,
          job.getPhase(),
          queued,
          "provider failed the task (" + failure.reason() + "), resubmitting");
      return step.then(next -> resubmit.run(next, queued), Duration.ZERO);
    }
    return transitions.fail(
        step,
        job,
        Failure.retryable(
                FailureReason.PROVIDER_FAILED,
                failure.reason() + " (after " + job.getSubmitAttempts() + " submissions)")
            .status(task.rawStatus()));
  }

  /** Not finished yet: a scheduled ticket moves to the next one; a callback ticket just records. */
  private StepResult next(JobStep step, JobState job, TicketKind kind, String status, Instant now) {
    JobState.Builder nb =
        transitions.updated(job).setPolls(job.getPolls() + 1).setLastProviderStatus(status);
    if (kind == TicketKind.CALLBACK) {
      transitions.move(step, job.getPhase(), nb.build(), "callback poll, not finished");
      return step.done();
    }
    int seq = job.getPollSeq() + 1;
    JobState waiting = nb.setPollSeq(seq).build();
    transitions.move(step, job.getPhase(), waiting, "not finished");
    return step.record(records.scheduledTicket(step.partition(), waiting, seq, now)).done();
  }
}
