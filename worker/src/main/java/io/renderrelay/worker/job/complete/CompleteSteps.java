package io.renderrelay.worker.job.complete;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.EventFactory;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobAction;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.OutputKeys;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.storage.CopiedObject;
import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.OutputKind;
import io.renderrelay.worker.storage.PriorCopies;
import io.renderrelay.worker.storage.RenderCopier;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A render the provider finished: its outputs are copied into the bucket and the job completes with
 * its RenderCompleted event; an output that cannot be copied fails the job, or is copied again at
 * the next poll when the failure may pass.
 */
public final class CompleteSteps {

  private static final Logger log = LoggerFactory.getLogger(CompleteSteps.class);

  private final RenderCopier copier;
  private final OutputKeys keys;
  private final JobRecords records;
  private final EventFactory events;
  private final Transitions transitions;
  private final JobListener listener;
  private final Clock clock;

  public CompleteSteps(
      RenderCopier copier,
      OutputKeys keys,
      JobRecords records,
      EventFactory events,
      Transitions transitions,
      JobListener listener,
      Clock clock) {
    this.copier = copier;
    this.keys = keys;
    this.records = records;
    this.events = events;
    this.transitions = transitions;
    this.listener = listener;
    this.clock = clock;
  }

  /**
   * Copies the outputs of {@code task}, which succeeded, and completes the job.
   *
   * @param renderedAt when the poll that saw it succeed ran
   * @param prior whether an earlier poll saw the render done (and so may have copied)
   * @param pollAgain what a copy failure that may pass does instead: poll (and copy) again later
   */
  public StepResult copy(
      JobStep step,
      JobState job,
      TaskSnapshot task,
      Instant renderedAt,
      PriorCopies prior,
      JobAction pollAgain) {
    // issue 17: render time as the provider reports it
    if (task.createdAt().isPresent() && task.updatedAt().isPresent()) {
      listener.providerRendered(
          job.getJobType(), Duration.between(task.createdAt().get(), task.updatedAt().get()));
    }
    if (task.videoUrl().isEmpty()) {
      return transitions.fail(
          step,
          job,
          Failure.permanent(FailureReason.OUTPUT_REJECTED, "the task succeeded without a video URL")
              .status(task.rawStatus()));
    }
    try {
      CopiedObject video = copyOne(job, OutputKind.VIDEO, task.videoUrl().get(), prior);
      Optional<CopiedObject> poster = copyOptional(job, OutputKind.POSTER, task.posterUrl(), prior);
      Optional<CopiedObject> last =
          copyOptional(job, OutputKind.LAST_FRAME, task.lastFrameUrl(), prior);
      JobState done =
          transitions
              .updated(job)
              .setPhase(JobPhase.COMPLETED)
              .setOutcome("COMPLETED")
              .setPolls(job.getPolls() + 1)
              .build();
      transitions.move(step, job.getPhase(), done, "render copied to " + video.uri());
      return step.record(
              records.event(
                  job.getJobId(),
                  events.completed(done, task, video, poster, last, renderedAt, clock.instant())))
          .done();
    } catch (CopyException e) {
      return copyFailed(step, job, task, e, pollAgain);
    }
  }

  private StepResult copyFailed(
      JobStep step, JobState job, TaskSnapshot task, CopyException e, JobAction pollAgain) {
    FailureReason reason;
    switch (e) {
      case CopyException.Retryable x -> {
        log.warn("copy of {} failed, will poll and copy again: {}", job.getJobId(), x.getMessage());
        return pollAgain.run(step, job);
      }
      case CopyException.Expired x -> reason = FailureReason.OUTPUT_EXPIRED;
      case CopyException.Rejected x -> reason = FailureReason.OUTPUT_REJECTED;
    }
    return transitions.fail(
        step, job, Failure.permanent(reason, e.getMessage()).status(task.rawStatus()));
  }

  /**
   * Copies one output. {@link PriorCopies#NONE} (no earlier poll saw the render done) skips the
   * HEAD; the write stays conditional, so a copy a crashed owner began costs a verification pass.
   */
  private CopiedObject copyOne(JobState job, OutputKind kind, URI url, PriorCopies prior)
      throws CopyException {
    Instant started = clock.instant();
    CopiedObject copied = copier.copy(url, keys.key(job, kind), kind.contentType(), prior);
    listener.outputCopied(
        job.getJobType(), kind, copied.sizeBytes(), Duration.between(started, clock.instant()));
    return copied;
  }

  private Optional<CopiedObject> copyOptional(
      JobState job, OutputKind kind, Optional<URI> url, PriorCopies prior) throws CopyException {
    return url.isEmpty() ? Optional.empty() : Optional.of(copyOne(job, kind, url.get(), prior));
  }
}
