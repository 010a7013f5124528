package io.renderrelay.worker.job.state;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * A job's command, restyle or act-one: the one place that tells the two Avro command types apart.
 * Everything else asks it for the fields both share, or switches over it where they differ (the
 * provider call).
 */
public sealed interface JobCommand {

  /** The Avro record, as it travels on its command topic. */
  SpecificRecord avro();

  JobType type();

  String jobId();

  Instant requestedAt();

  Optional<Instant> deadline();

  Map<String, String> metadata();

  Optional<String> outputPrefix();

  /** The prompt the caller sent (act-one has none). */
  Optional<String> prompt();

  /** A restyle command. */
  record Restyle(RestyleCommand avro) implements JobCommand {
    @Override
    public JobType type() {
      return JobType.RESTYLE;
    }

    @Override
    public String jobId() {
      return avro.getJobId();
    }

    @Override
    public Instant requestedAt() {
      return avro.getRequestedAt();
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.ofNullable(avro.getDeadline());
    }

    @Override
    public Map<String, String> metadata() {
      return avro.getMetadata();
    }

    @Override
    public Optional<String> outputPrefix() {
      return Optional.ofNullable(avro.getOutputPrefix());
    }

    @Override
    public Optional<String> prompt() {
      return Optional.ofNullable(avro.getPrompt());
    }
  }

  /** An act-one command. */
  record ActOne(ActOneCommand avro) implements JobCommand {
    @Override
    public JobType type() {
      return JobType.ACT_ONE;
    }

    @Override
    public String jobId() {
      return avro.getJobId();
    }

    @Override
    public Instant requestedAt() {
      return avro.getRequestedAt();
    }

    @Override
    public Optional<Instant> deadline() {
      return Optional.ofNullable(avro.getDeadline());
    }

    @Override
    public Map<String, String> metadata() {
      return avro.getMetadata();
    }

    @Override
    public Optional<String> outputPrefix() {
      return Optional.ofNullable(avro.getOutputPrefix());
    }

    @Override
    public Optional<String> prompt() {
      return Optional.empty();
    }
  }

  /** The command a decoded record holds; empty for any other record type. */
  static Optional<JobCommand> from(Object decoded) {
    return switch (decoded) {
      case RestyleCommand r -> Optional.of(new Restyle(r));
      case ActOneCommand a -> Optional.of(new ActOne(a));
      case null, default -> Optional.empty();
    };
  }

  /** A restyle or act-one record. */
  static JobCommand of(SpecificRecord command) {
    return from(command)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "not a command: " + command.getSchema().getFullName()));
  }

  /**
   * The command a ledger entry carries; empty for an entry without one (a stub written for a record
   * that never decoded, or by a version that kept no command).
   */
  static Optional<JobCommand> of(JobState job) {
    if (job.getRestyle() != null) {
      return Optional.of(new Restyle(job.getRestyle()));
    }
    return Optional.ofNullable(job.getActOne()).map(ActOne::new);
  }

  /** Writes the command, its jobId and its type into a ledger entry. */
  default JobState.Builder into(JobState.Builder b) {
    b.setJobId(jobId()).setJobType(type());
    return switch (this) {
      case Restyle r -> b.setRestyle(r.avro()).setActOne(null);
      case ActOne a -> b.setActOne(a.avro()).setRestyle(null);
    };
  }
}
