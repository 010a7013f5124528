package io.renderrelay.worker.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay events tail}. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Follow render.events (read_committed: each job's terminal event once) and print one JSON"
          + " line per RenderCompleted / RenderFailed.",
      "Exits 1 when --max events did not arrive within --timeout."
    })
final class EventsTailCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(
      names = "--from-beginning",
      description = "Start at the oldest event (default: only new ones).")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "Stop after N events.")
  Long max;

  @Option(
      names = "--job-id",
      paramLabel = "ID",
      description = "Only events of this jobId (repeatable).")
  List<String> jobIds = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = TimeConverters.Span.class,
      description = "Stop after this long (30s, 10m, 1h); default: follow until interrupted.")
  Duration timeout;

  private final CliContext ctx;

  EventsTailCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (max != null && max < 1) {
      throw new CliUsageException("--max must be at least 1");
    }
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("events-tail")) {
      EventTailer tailer =
          new EventTailer(
              consumer, clients.avroDeserializer(true), ctx.clock(), ctx.out(), ctx.err());
      EventTailer.Result result =
          tailer.tail(
              global.topics().events(),
              new EventTailer.Settings(
                  fromBeginning,
                  max == null ? Long.MAX_VALUE : max,
                  Set.copyOf(jobIds),
                  Optional.ofNullable(timeout)));
      if (result.timedOut() && max != null) {
        throw new CliException(
            "timed out after "
                + timeout
                + ": saw "
                + result.printed()
                + " of "
                + max
                + " event(s)");
      }
    }
    return 0;
  }
}
