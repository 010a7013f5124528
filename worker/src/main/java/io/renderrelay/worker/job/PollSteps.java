package io.renderrelay.worker.job;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.TicketKind;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.StatusNormaliser;
import io.renderrelay.worker.provider.TaskFailure;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.storage.ConcurrentCopies;
import io.renderrelay.worker.storage.CopiedObject;
import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.OutputKind;
import io.renderrelay.worker.storage.PriorCopies;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One due poll of a job: ask the provider, then schedule the next ticket, copy the finished render
 * and complete the job, resubmit a refunded failure, or fail the job. A callback's "poll now"
 * ticket polls the same way but never starts a second ticket chain.
 */
final class PollSteps {

  private static final Logger log = LoggerFactory.getLogger(PollSteps.class);

  private final JobContext ctx;
  private final Transitions transitions;
  private final SubmitSteps submits;
  private final StatusNormaliser statuses = new StatusNormaliser();

  PollSteps(JobContext ctx, Transitions transitions, SubmitSteps submits) {
    this.ctx = ctx;
    this.transitions = transitions;
    this.submits = submits;
  }

  /**
   * Polls the job's task. The task's status comes first: a render that already succeeded is copied
   * even when it is polled after the deadline; only a task not finished by then fails the job.
   *
   * @param waited the scheduled delay of the ticket that led here (zero for a callback ticket): the
   *     not-found grace counts these delays, never a difference of two machines' clocks
   */
  StepResult poll(int partition, JobState job, TicketKind kind, Duration waited, Lease lease) {
    Instant now = ctx.clock().instant();
    StepResult.Builder b = StepResult.builder();
    boolean late = now.isAfter(job.getDeadline());
    TaskSnapshot task;
    try {
      task = ctx.provider().getTask(job.getTaskId());
    } catch (ProviderException.TaskNotFound e) {
      return late ? deadline(b, partition, job) : notFound(b, partition, job, kind, waited, now);
    } catch (ProviderException e) {
      log.debug("poll of {} failed transiently: {}", job.getJobId(), e.getMessage());
      return late
          ? deadline(b, partition, job)
          : next(b, partition, job, kind, job.getLastProviderStatus(), now);
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
          late
              ? deadline(b, partition, seen)
              : next(b, partition, seen, kind, task.rawStatus(), now);
      case SUCCEEDED -> copy(b, partition, seen, kind, task, now, prior);
      case CANCELLED ->
          transitions
              .fail(
                  b,
                  partition,
                  seen,
                  FailureReason.CANCELLED,
                  "the provider cancelled the task",
                  Optional.of(task.rawStatus()),
                  true)
              .done();
      case FAILED -> failed(b, partition, seen, task, lease);
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
      ctx.records().renderTimes().observe(job.getJobType(), took, kind == TicketKind.CALLBACK);
    }
  }

  private StepResult deadline(StepResult.Builder b, int partition, JobState job) {
    return transitions
        .fail(
            b,
            partition,
            job,
            FailureReason.DEADLINE_EXCEEDED,
            "no result from the provider before the job's deadline " + job.getDeadline(),
            Optional.ofNullable(job.getLastProviderStatus()),
            true)
        .done();
  }

  /**
   * The provider does not know the task. The time waited so far is {@code updatedAt -
   * notFoundSince} of the entry (both written by one writer, see {@link Transitions#updated}) plus
   * the ticket's scheduled delay; past the grace the task is lost.
   */
  private StepResult notFound(
      StepResult.Builder b,
      int partition,
      JobState job,
      TicketKind kind,
      Duration waited,
      Instant now) {
    Duration total = Duration.ZERO; // the first answer that does not know the task
    if (job.getNotFoundSince() != null) {
      Duration before = Duration.between(job.getNotFoundSince(), job.getUpdatedAt());
      total = (before.isNegative() ? Duration.ZERO : before).plus(waited);
    }
    Instant since = now.minus(total);
    if (total.compareTo(ctx.rules().taskNotFoundGrace()) > 0) {
      return transitions
          .fail(
              b,
              partition,
              job,
              FailureReason.TASK_LOST,
              "the provider does not know task "
                  + job.getTaskId()
                  + " for "
                  + total.toSeconds()
                  + " s of polls (since about "
                  + since
                  + ")",
              Optional.empty(),
              true)
          .done();
    }
    JobState waiting = transitions.updated(job).setNotFoundSince(since).build();
    return next(b, partition, waiting, kind, job.getLastProviderStatus(), now);
  }

  private StepResult failed(
      StepResult.Builder b, int partition, JobState job, TaskSnapshot task, Lease lease) {
    TaskFailure failure = task.failure().orElse(new TaskFailure(false, false, "no reason given"));
    if (failure.moderation()) {
      return transitions
          .fail(
              b,
              partition,
              job,
              FailureReason.MODERATION,
              failure.reason(),
              Optional.of(task.rawStatus()),
              false)
          .done();
    }
    if (!failure.refunded()) {
      return transitions
          .fail(
              b,
              partition,
              job,
              FailureReason.PROVIDER_FAILED,
              failure.reason() + " (not refunded by the provider: not resubmitted)",
              Optional.of(task.rawStatus()),
              false)
          .done();
    }
    if (job.getSubmitAttempts() <= ctx.rules().maxResubmits()) {
      JobState queued =
          transitions.updated(job).setPhase(JobPhase.QUEUED).setTaskId(null).setPollSeq(0).build();
      transitions.move(
          b,
          partition,
          job.getPhase(),
          queued,
          "provider failed the task (" + failure.reason() + "), resubmitting");
      return b.then(() -> submits.intent(partition, queued, lease), Duration.ZERO);
    }
    return transitions
        .fail(
            b,
            partition,
            job,
            FailureReason.PROVIDER_FAILED,
            failure.reason() + " (after " + job.getSubmitAttempts() + " submissions)",
            Optional.of(task.rawStatus()),
            true)
        .done();
  }

  private StepResult copy(
      StepResult.Builder b,
      int partition,
      JobState job,
      TicketKind kind,
      TaskSnapshot task,
      Instant now,
      PriorCopies prior) {
    // issue 17: render time as the provider reports it
    if (task.createdAt().isPresent() && task.updatedAt().isPresent()) {
      ctx.listener()
          .providerRendered(
              job.getJobType(), Duration.between(task.createdAt().get(), task.updatedAt().get()));
    }
    if (task.videoUrl().isEmpty()) {
      return transitions
          .fail(
              b,
              partition,
              job,
              FailureReason.OUTPUT_REJECTED,
              "the task succeeded without a video URL",
              Optional.of(task.rawStatus()),
              false)
          .done();
    }
    try {
      // the outputs copy at once (each within its copy permit): a job ends after its longest copy
      List<ConcurrentCopies.Task<Optional<CopiedObject>>> copies =
          List.of(
              () -> copyOptional(job, OutputKind.VIDEO, task.videoUrl(), prior),
              () -> copyOptional(job, OutputKind.POSTER, task.posterUrl(), prior),
              () -> copyOptional(job, OutputKind.LAST_FRAME, task.lastFrameUrl(), prior));
      List<Optional<CopiedObject>> copied = ConcurrentCopies.all(copies);
      CopiedObject video = copied.get(0).orElseThrow();
      Optional<CopiedObject> poster = copied.get(1);
      Optional<CopiedObject> last = copied.get(2);
      JobState done =
          transitions
              .updated(job)
              .setPhase(JobPhase.COMPLETED)
              .setOutcome("COMPLETED")
              .setPolls(job.getPolls() + 1)
              .build();
      transitions.move(b, partition, job.getPhase(), done, "render copied to " + video.uri());
      return b.record(
              ctx.records()
                  .event(
                      job.getJobId(),
                      ctx.events()
                          .completed(done, task, video, poster, last, now, ctx.clock().instant())))
          .done();
    } catch (CopyException e) {
      return copyFailed(b, partition, job, kind, task, now, e);
    }
  }

  private StepResult copyFailed(
      StepResult.Builder b,
      int partition,
      JobState job,
      TicketKind kind,
      TaskSnapshot task,
      Instant now,
      CopyException e) {
    Optional<String> status = Optional.of(task.rawStatus());
    return switch (e) {
      case CopyException.Expired x ->
          transitions
              .fail(b, partition, job, FailureReason.OUTPUT_EXPIRED, x.getMessage(), status, false)
              .done();
      case CopyException.Rejected x ->
          transitions
              .fail(b, partition, job, FailureReason.OUTPUT_REJECTED, x.getMessage(), status, false)
              .done();
      case CopyException.Retryable x -> {
        log.warn("copy of {} failed, will poll and copy again: {}", job.getJobId(), x.getMessage());
        yield next(b, partition, job, kind, task.rawStatus(), now);
      }
    };
  }

  /**
   * Copies one output. {@link PriorCopies#NONE} (no earlier poll saw the render done) skips the
   * HEAD; the write stays conditional, so a copy a crashed owner began costs a verification pass.
   */
  private CopiedObject copyOne(JobState job, OutputKind kind, URI url, PriorCopies prior)
      throws CopyException {
    Instant started = ctx.clock().instant();
    CopiedObject copied =
        ctx.copier().copy(url, ctx.keys().key(job, kind), kind.contentType(), prior);
    ctx.listener()
        .outputCopied(
            job.getJobType(),
            kind,
            copied.sizeBytes(),
            Duration.between(started, ctx.clock().instant()));
    return copied;
  }

  private Optional<CopiedObject> copyOptional(
      JobState job, OutputKind kind, Optional<URI> url, PriorCopies prior) throws CopyException {
    return url.isEmpty() ? Optional.empty() : Optional.of(copyOne(job, kind, url.get(), prior));
  }

  /** Not finished yet: a scheduled ticket moves to the next one; a callback ticket just records. */
  private StepResult next(
      StepResult.Builder b,
      int partition,
      JobState job,
      TicketKind kind,
      String status,
      Instant now) {
    JobState.Builder nb =
        transitions.updated(job).setPolls(job.getPolls() + 1).setLastProviderStatus(status);
    if (kind == TicketKind.CALLBACK) {
      transitions.move(b, partition, job.getPhase(), nb.build(), "callback poll, not finished");
      return b.done();
    }
    int seq = job.getPollSeq() + 1;
    JobState waiting = nb.setPollSeq(seq).build();
    transitions.move(b, partition, job.getPhase(), waiting, "not finished");
    return b.record(ctx.records().scheduledTicket(partition, waiting, seq, now)).done();
  }
}
