package io.renderrelay.e2e.chaos;

import java.time.Instant;
import java.util.Optional;

/**
 * What the checker knows of one job beyond its events' content: when its first terminal event was
 * written, how it ended, how many tasks the provider billed for it, its deadline, and by when it
 * had to end (its deadline plus a grace period).
 *
 * @param firstTerminalAt the timestamp of its first committed terminal event; empty when none
 * @param ambiguous whether that event is a RenderFailed AMBIGUOUS_SUBMIT
 * @param deadlineExceeded whether that event is a RenderFailed DEADLINE_EXCEEDED
 * @param paidTasks submissions the provider simulator counted as paid for the job
 * @param deadline the job's deadline; {@link Instant#MAX} when the run sets none
 * @param endBy deadline plus grace; {@link Instant#MAX} when the run sets no limit
 */
record JobTimeline(
    Optional<Instant> firstTerminalAt,
    boolean ambiguous,
    boolean deadlineExceeded,
    int paidTasks,
    Instant deadline,
    Instant endBy) {

  /** An AMBIGUOUS job whose submit never reached the provider: nothing was paid, nothing done. */
  public boolean unpaidAmbiguous() {
    return ambiguous && paidTasks == 0;
  }

  /**
   * True when the job had no terminal event by {@link #endBy}, judged at {@code checkedAt}: its
   * event came later, or there is none and {@code endBy} has passed.
   */
  public boolean stuck(Instant checkedAt) {
    return firstTerminalAt.map(t -> t.isAfter(endBy)).orElseGet(() -> checkedAt.isAfter(endBy));
  }

  /**
   * True when the job failed as DEADLINE_EXCEEDED before its deadline by the event's own timestamp
   * (e.g. a worker whose clock runs ahead judged it).
   */
  public boolean failedBeforeItsDeadline() {
    return deadlineExceeded && firstTerminalAt.map(t -> t.isBefore(deadline)).orElse(false);
  }
}
