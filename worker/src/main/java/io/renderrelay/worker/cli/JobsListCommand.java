package io.renderrelay.worker.cli;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay jobs list}: the jobs the ledger knows, filtered. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List the jobs the ledger knows (latest state per job), newest first, filtered by phase,"
          + " type and age. Reads the whole ledger topic.",
      "Columns: job, type, phase, outcome, paid attempts, polls, last update."
    })
final class JobsListCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  @Mixin LedgerOptions ledger;

  @Option(
      names = "--phase",
      split = ",",
      paramLabel = "PHASE",
      description =
          "Only these phases (QUEUED, SUBMITTING, POLLING, COPYING, COMPLETED, FAILED,"
              + " AMBIGUOUS), comma-separated.")
  Set<JobPhase> phases;

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      converter = JobKind.Converter.class,
      description = "Only this job type: restyle or act-one.")
  JobKind type;

  @Option(
      names = "--older-than",
      paramLabel = "DURATION",
      converter = TimeConverters.Span.class,
      description = "Only jobs created longer ago than this (e.g. 30m, 2h).")
  Duration olderThan;

  @Option(
      names = "--newer-than",
      paramLabel = "DURATION",
      converter = TimeConverters.Span.class,
      description = "Only jobs created within this (e.g. 1d).")
  Duration newerThan;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Print at most N jobs; 0 = all (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--json", description = "One JSON object per line.")
  boolean json;

  private final CliContext ctx;

  JobsListCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new CliUsageException("--limit must be 0 or more");
    }
    Map<String, JobState> latest = new HashMap<>();
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("jobs-list")) {
      LedgerTopicReader reader = ledger.reader(consumer);
      reader.read(
          reader.partitions(),
          e ->
              e.state()
                  .ifPresentOrElse(s -> latest.put(e.jobId(), s), () -> latest.remove(e.jobId())));
    }
    Instant now = ctx.clock().instant();
    List<JobState> shown =
        latest.values().stream()
            .filter(s -> matches(s, now))
            .sorted(Comparator.comparing(JobState::getCreatedAt).reversed())
            .limit(limit == 0 ? Long.MAX_VALUE : limit)
            .toList();
    JobView view = new JobView(ledger.rootPrefix);
    for (JobState s : shown) {
      ctx.out().println(json ? view.json(s).toString() : JobView.line(s));
    }
    ctx.err().println("jobs=" + shown.size() + " known=" + latest.size());
    ctx.out().flush();
    ctx.err().flush();
    return 0;
  }

  private boolean matches(JobState s, Instant now) {
    if (phases != null && !phases.isEmpty() && !phases.contains(s.getPhase())) {
      return false;
    }
    if (type != null
        && s.getJobType() != (type == JobKind.ACT_ONE ? JobType.ACT_ONE : JobType.RESTYLE)) {
      return false;
    }
    Duration age = Duration.between(s.getCreatedAt(), now);
    if (olderThan != null && age.compareTo(olderThan) < 0) {
      return false;
    }
    return newerThan == null || age.compareTo(newerThan) <= 0;
  }
}
