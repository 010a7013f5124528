package io.renderrelay.worker.job.state;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A job's command, restyle or act-one: the one place that tells the two Avro command types apart.
 * The fields both schemas share (same name, same type: {@code JobCommandTest} holds them to it) are
 * read here once by name; where the two differ (the provider call, the inputs to check) callers
 * switch over the two cases.
 */
public sealed interface JobCommand {

  /** The Avro record, as it travels on its command topic. */
  SpecificRecordBase avro();

  JobType type();

  default String jobId() {
    return (String) avro().get("jobId");
  }

  default Instant requestedAt() {
    return (Instant) avro().get("requestedAt");
  }

  default Optional<Instant> deadline() {
    return Optional.ofNullable((Instant) avro().get("deadline"));
  }

  @SuppressWarnings("unchecked")
  default Map<String, String> metadata() {
    return (Map<String, String>) avro().get("metadata");
  }

  default Optional<String> outputPrefix() {
    return Optional.ofNullable((String) avro().get("outputPrefix"));
  }

  /** The prompt the caller sent (act-one has none). */
  default Optional<String> prompt() {
    return this instanceof Restyle(RestyleCommand r)
        ? Optional.ofNullable(r.getPrompt())
        : Optional.empty();
  }

  /** A restyle command. */
  record Restyle(RestyleCommand avro) implements JobCommand {
    @Override
    public JobType type() {
      return JobType.RESTYLE;
    }
  }

  /** An act-one command. */
  record ActOne(ActOneCommand avro) implements JobCommand {
    @Override
    public JobType type() {
      return JobType.ACT_ONE;
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
