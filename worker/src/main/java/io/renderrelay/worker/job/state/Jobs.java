package io.renderrelay.worker.job.state;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/** Reads the command-derived facts of a job from its ledger entry. */
public final class Jobs {

  private Jobs() {}

  public static SpecificRecord command(JobState s) {
    return s.getRestyle() != null ? s.getRestyle() : s.getActOne();
  }

  public static Map<String, String> metadata(JobState s) {
    return s.getRestyle() != null ? s.getRestyle().getMetadata() : s.getActOne().getMetadata();
  }

  public static Optional<String> outputPrefix(JobState s) {
    return Optional.ofNullable(
        s.getRestyle() != null
            ? s.getRestyle().getOutputPrefix()
            : s.getActOne().getOutputPrefix());
  }

  public static Instant requestedAt(JobState s) {
    return s.getRestyle() != null
        ? s.getRestyle().getRequestedAt()
        : s.getActOne().getRequestedAt();
  }

  public static Optional<String> prompt(JobState s) {
    return Optional.ofNullable(s.getRestyle()).map(RestyleCommand::getPrompt);
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
  public static JobState accepted(SpecificRecord command, Instant now, Instant deadline) {
    JobState.Builder b =
        JobState.newBuilder()
            .setPhase(JobPhase.QUEUED)
            .setCreatedAt(now)
            .setUpdatedAt(now)
            .setDeadline(deadline);
    if (command instanceof RestyleCommand r) {
      b.setJobId(r.getJobId()).setJobType(JobType.RESTYLE).setRestyle(r);
    } else if (command instanceof ActOneCommand a) {
      b.setJobId(a.getJobId()).setJobType(JobType.ACT_ONE).setActOne(a);
    } else {
      throw new IllegalArgumentException("not a command: " + command.getSchema().getFullName());
    }
    return b.build();
  }

  public static Optional<Instant> commandDeadline(SpecificRecord command) {
    if (command instanceof RestyleCommand r) {
      return Optional.ofNullable(r.getDeadline());
    }
    return Optional.ofNullable(((ActOneCommand) command).getDeadline());
  }

  public static Instant commandRequestedAt(SpecificRecord command) {
    if (command instanceof RestyleCommand r) {
      return r.getRequestedAt();
    }
    return ((ActOneCommand) command).getRequestedAt();
  }

  public static String commandJobId(SpecificRecord command) {
    if (command instanceof RestyleCommand r) {
      return r.getJobId();
    }
    return ((ActOneCommand) command).getJobId();
  }
}
