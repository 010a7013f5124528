package io.renderrelay.worker.cli;

import io.renderrelay.worker.dlt.DeadLetterReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The dead-letter filters shared by {@code dlt list} and {@code dlt replay} (a picocli mixin). */
final class FilterOptions {

  @Option(
      names = "--reason",
      paramLabel = "REASON",
      split = ",",
      description =
          "Only records with this rr.dlt.reason (repeatable or comma-separated):"
              + " ${COMPLETION-CANDIDATES}.")
  List<DeadLetterReason> reasons = new ArrayList<>();

  @Option(
      names = "--job-type",
      paramLabel = "TYPE",
      split = ",",
      converter = JobKind.Converter.class,
      completionCandidates = JobKind.Candidates.class,
      description =
          "Only records whose source topic is this job type's command topic: restyle or act-one"
              + " (repeatable).")
  List<JobKind> jobTypes = new ArrayList<>();

  @Option(
      names = "--since",
      paramLabel = "TIME",
      converter = TimeConverters.Past.class,
      description =
          "Only records dead-lettered at or after TIME: ISO-8601 (2026-11-25T10:00:00Z), a date,"
              + " epoch millis, or relative (30m, 2h, 1d = that long ago).")
  Instant since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      converter = TimeConverters.Past.class,
      description = "Only records dead-lettered before TIME (same forms as --since).")
  Instant until;

  @Option(
      names = "--job-id",
      paramLabel = "ID",
      description = "Only records with this jobId (the record key; repeatable).")
  List<String> jobIds = new ArrayList<>();

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description =
          "Only records whose header NAME has exactly VALUE (repeatable; all must match).")
  Map<String, String> headers = new TreeMap<>();

  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  /** The filter, with job types resolved to their command topics. */
  public DltFilter toFilter(GlobalOptions.Topics topics) {
    if (since != null && until != null && !until.isAfter(since)) {
      throw new CliUsageException("--until (" + until + ") must be after --since (" + since + ")");
    }
    Set<String> reasonNames = reasons.stream().map(Enum::name).collect(Collectors.toSet());
    Set<String> sourceTopics =
        jobTypes.stream().map(k -> k.commandTopic(topics)).collect(Collectors.toSet());
    return new DltFilter(
        reasonNames,
        sourceTopics,
        Optional.ofNullable(since),
        Optional.ofNullable(until),
        Set.copyOf(jobIds),
        headers);
  }
}
