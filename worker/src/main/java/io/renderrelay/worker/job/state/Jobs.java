package io.renderrelay.worker.job.state;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import java.time.Instant;
import java.util.Optional;

/** Reads the facts of a job from its ledger entry. */
public final class Jobs {

  private Jobs() {}

  /** The job's command (see {@link JobCommand#of(JobState)}: a stub entry has none). */
  public static JobCommand command(JobState s) {
    return JobCommand.of(s)
        .orElseThrow(() -> new IllegalStateException("job " + s.getJobId() + " has no command"));
  }

  public static Optional<String> outputPrefix(JobState s) {
    return JobCommand.of(s).flatMap(JobCommand::outputPrefix);
  }

  public static boolean terminal(JobPhase phase) {
    return phase == JobPhase.COMPLETED || phase == JobPhase.FAILED || phase == JobPhase.AMBIGUOUS;
  }

  /**
   * A job that ended without any paid (or possibly paid) submission: rejected, undecodable, past
   * its deadline before submitting, or ambiguous with nothing sent. Its command may run again.
   */
  public static boolean endedUnpaid(JobState s) {
    return terminal(s.getPhase())
        && s.getPhase() != JobPhase.COMPLETED
        && s.getSubmitAttempts() == 0
        && s.getTaskId() == null;
  }

  /** A new ledger entry for a freshly accepted command. */
  public static JobState accepted(JobCommand command, Instant now, Instant deadline) {
    return command
        .into(JobState.newBuilder())
        .setPhase(JobPhase.QUEUED)
        .setCreatedAt(now)
        .setUpdatedAt(now)
        .setDeadline(deadline)
        .build();
  }
}
