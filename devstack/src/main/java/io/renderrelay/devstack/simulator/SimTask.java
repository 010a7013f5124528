package io.renderrelay.devstack.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * One task as planned at submit time; its state at any instant follows from the clock alone (see
 * {@link #phaseAt}). Queued for the first tenth of the render time, then running with a linear
 * progress, then ended with the planned {@link Outcome}.
 *
 * @param runwayId the id of Runway's own task, nested in the MODERN answer
 * @param jobId attribution of the paid submission (see {@link JobIds})
 * @param visibleAt before this instant the feed answers task_not_exist
 * @param unknownStatus when non-null, polls answer this status string until the task ends
 * @param failReason the failure text when the outcome is a failure, else ""
 */
record SimTask(
    String taskId,
    String runwayId,
    JobKind kind,
    String jobId,
    String callbackUrl,
    String prompt,
    Instant submittedAt,
    Instant visibleAt,
    Duration renderTime,
    Outcome outcome,
    String failReason,
    String unknownStatus) {

  /** How a task ends. */
  public enum Outcome {
    SUCCEEDED,
    /** Provider-side failure; credits refunded. */
    FAILED_REFUNDED,
    /** Content moderation ({@code SAFETY.*}); terminal. */
    FAILED_MODERATION
  }

  /** Start of the running phase. */
  public Instant startedAt() {
    return submittedAt.plus(renderTime.dividedBy(10));
  }

  /** When the task ends. */
  public Instant finishedAt() {
    return submittedAt.plus(renderTime);
  }

  /** The phase of this task at {@code now}. */
  public TaskPhase phaseAt(Instant now) {
    if (now.isBefore(visibleAt)) {
      return new TaskPhase.NotVisible();
    }
    if (!now.isBefore(finishedAt())) {
      return switch (outcome) {
        case SUCCEEDED -> new TaskPhase.Succeeded(finishedAt());
        case FAILED_REFUNDED -> new TaskPhase.Failed(finishedAt(), failReason, false);
        case FAILED_MODERATION -> new TaskPhase.Failed(finishedAt(), failReason, true);
      };
    }
    if (now.isBefore(startedAt())) {
      return new TaskPhase.Queued();
    }
    long total = Duration.between(startedAt(), finishedAt()).toNanos();
    long done = Duration.between(startedAt(), now).toNanos();
    int progress = total <= 0 ? 99 : (int) Math.min(99, done * 100 / total);
    return new TaskPhase.Running(progress);
  }
}
