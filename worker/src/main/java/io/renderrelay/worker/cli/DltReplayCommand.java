package io.renderrelay.worker.cli;

import io.renderrelay.worker.ratelimit.TokenBucket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay dlt replay}: republish selected dead letters. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Republish selected dead-letter records to their source topic and partition (headers"
          + " rr.dlt.source.topic and rr.dlt.source.partition) or to --to (partitioned by key),"
          + " with the original key, value and headers, plus rr.replay.count,"
          + " rr.replay.time, rr.replay.source.partition and rr.replay.source.offset.",
      "Reads render.dlt from the beginning (or --since) up to its end at start, so it ends."
          + " The worker dedupes by jobId: a replayed command of a job that was paid (or may"
          + " have been) is counted as a duplicate and dropped, never paid twice; one whose job"
          + " ended unpaid (invalid, undecodable, unknown schema, key mismatch, ambiguous with"
          + " nothing sent) runs again.",
      "Prints one line per record and a summary: replayed=N skipped=M dry_run=B; then (unless"
          + " --await 0s) one 'outcome jobId=...' line per replayed record and 'outcomes"
          + " ran_again=N duplicate=M no_job=K pending=P'."
    })
final class DltReplayCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;
  @Mixin FilterOptions filters;
  @Mixin LedgerOptions ledger;

  @Option(
      names = "--await",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = TimeConverters.Span.class,
      description =
          "After sending, wait up to this long for the worker group to consume the replayed"
              + " records and print what it did with each (runs again, duplicate of a paid job),"
              + " read from the ledger; 0s: do not wait (default: ${DEFAULT-VALUE}).")
  Duration await;

  @Option(
      names = "--group",
      paramLabel = "GROUP",
      defaultValue = "${env:RENDER_RELAY_KAFKA_GROUP_ID:-render-relay}",
      description = "The workers' consumer group (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(
      names = "--to",
      paramLabel = "TOPIC",
      description = "Send every selected record to TOPIC instead of its source topic.")
  String to;

  @Option(names = "--dry-run", description = "Print what would be sent; send nothing.")
  boolean dryRun;

  @Option(
      names = "--rate",
      paramLabel = "N/s",
      converter = Rate.Converter.class,
      description =
          "Send at most this many records a second (20/s, 300/m, 1000/h); default no cap.")
  Rate rate;

  @Option(names = "--max", paramLabel = "N", description = "Send at most N records.")
  Long max;

  @Option(
      names = "--from-beginning",
      description = "Scan the whole DLT (the default; may not be combined with --since).")
  boolean fromBeginning;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = "--progress",
      description = "Draw the progress bar on stderr even when it is not a terminal.")
  boolean progress;

  private final CliContext ctx;

  DltReplayCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws InterruptedException {
    DltFilter filter = validate();
    if (!dryRun && !yes) {
      confirm(filter);
    }
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("dlt-replay");
        Producer<byte[], byte[]> producer = dryRun ? null : clients.producer("dlt-replay");
        Consumer<byte[], byte[]> ledgerConsumer =
            dryRun || await.isZero() ? null : clients.consumer("dlt-replay-outcome")) {
      DltReader reader =
          new DltReader(
              consumer, global.topics().deadLetter(), ctx.nanoTime(), Duration.ofSeconds(30));
      DltReader.Range range = reader.open(filters.since());
      Replayer.Settings settings =
          new Replayer.Settings(
              dryRun,
              Optional.ofNullable(rate)
                  .map(r -> new TokenBucket(r.perSecond(), 1, 1, ctx.nanoTime()))
                  .map(bucket -> (Replayer.Pace) () -> bucket.acquire(ctx.sleeper())),
              max == null ? Long.MAX_VALUE : max);
      boolean drawBar = progress || ctx.terminal().stderrIsTerminal();
      Replayer replayer =
          new Replayer(
              reader,
              producer,
              new ReplayPlanner(Optional.ofNullable(to), global.topics().deadLetter(), ctx.clock()),
              settings,
              ctx.out(),
              total ->
                  drawBar
                      ? new ProgressBar(ctx.err(), ctx.nanoTime(), total)
                      : ProgressBar.disabled());
      Optional<ReplayOutcomes> outcomes = Optional.empty();
      Map<Integer, Long> mark = Map.of();
      if (ledgerConsumer != null) {
        ReplayOutcomes o =
            new ReplayOutcomes(
                clients, ledger.reader(ledgerConsumer), group, ctx.sleeper(), ctx.nanoTime());
        try {
          mark = o.mark();
          outcomes = Optional.of(o);
        } catch (CliException e) {
          ctx.err().println("no outcome report: " + e.getMessage());
        }
      }
      Replayer.Summary summary = replayer.run(filter, range);
      for (Map.Entry<String, Long> skip : summary.skipReasons().entrySet()) {
        ctx.err().println("skipped " + skip.getValue() + ": " + skip.getKey());
      }
      ctx.out().println(summary.line());
      if (outcomes.isPresent() && !summary.sent().isEmpty()) {
        Map<String, Long> counts = outcomes.get().report(summary.sent(), mark, await, ctx.out());
        ctx.out().println("outcomes " + outcomeLine(counts));
      }
      ctx.out().flush();
      ctx.err().flush();
    }
    return 0;
  }

  private static String outcomeLine(Map<String, Long> counts) {
    StringBuilder sb = new StringBuilder();
    for (String k : java.util.List.of("ran_again", "duplicate", "no_job", "pending")) {
      sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(counts.getOrDefault(k, 0L));
    }
    return sb.toString();
  }

  private DltFilter validate() {
    if (fromBeginning && filters.since().isPresent()) {
      throw new CliUsageException("--from-beginning and --since exclude each other");
    }
    if (max != null && max < 1) {
      throw new CliUsageException("--max must be at least 1");
    }
    if (to != null && to.equals(global.topics().deadLetter())) {
      throw new CliUsageException("--to may not be the dead-letter topic itself");
    }
    return filters.toFilter(global.topics());
  }

  private void confirm(DltFilter filter) {
    if (!ctx.terminal().stdinIsTerminal()) {
      throw new CliUsageException(
          "replay sends records: add --yes to confirm (stdin is not a terminal), or use --dry-run");
    }
    String target = to == null ? "their source topics" : to;
    if (!ctx.terminal()
        .confirm(
            "Replay records of "
                + global.topics().deadLetter()
                + " matching "
                + filter.describe()
                + " to "
                + target
                + (max == null ? "" : " (at most " + max + ")")
                + "?")) {
      throw new CliException("aborted: nothing was sent");
    }
  }
}
