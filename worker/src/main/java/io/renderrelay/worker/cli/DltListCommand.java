package io.renderrelay.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay dlt list}: one line per dead-letter record. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = {
      "List dead-letter records, oldest first, one line each: partition, offset, timestamp,"
          + " jobId (the key), reason, source topic/partition@offset, exception, detail (cut).",
      "Reads render.dlt read_committed, without a consumer group, up to its end at start."
    })
final class DltListCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Mixin GlobalOptions global;
  @Mixin FilterOptions filters;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "100",
      description = "Print at most N records (default ${DEFAULT-VALUE}; 0 = all).")
  long limit;

  @Option(names = "--json", description = "Print one JSON object per line instead.")
  boolean json;

  @Option(
      names = "--detail-width",
      paramLabel = "CHARS",
      defaultValue = "80",
      description = "Cut the detail to this many characters (default ${DEFAULT-VALUE}).")
  int detailWidth;

  private final CliContext ctx;

  DltListCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (limit < 0 || detailWidth < 4) {
      throw new CliUsageException("--limit must be >= 0 and --detail-width >= 4");
    }
    DltFilter filter = filters.toFilter(global.topics());
    long max = limit == 0 ? Long.MAX_VALUE : limit;
    long[] printed = {0};
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("dlt-list")) {
      DltReader reader =
          new DltReader(
              consumer, global.topics().deadLetter(), ctx.nanoTime(), Duration.ofSeconds(30));
      DltReader.Range range = reader.open(filters.since());
      reader.scan(
          range,
          r -> {
            if (filter.matches(r)) {
              print(DltRecordView.of(r));
              printed[0]++;
            }
            return printed[0] < max;
          },
          n -> {});
    }
    ctx.out().flush();
    if (!json) {
      ctx.err().println(printed[0] + " record(s)" + (printed[0] == max ? " (limit reached)" : ""));
    }
    return 0;
  }

  private void print(DltRecordView v) {
    if (json) {
      try {
        ctx.out().println(JSON.writeValueAsString(v.summary()));
      } catch (JsonProcessingException e) {
        throw new CliException("cannot write JSON: " + e.getMessage(), e);
      }
    } else {
      ctx.out().println(v.line(detailWidth));
    }
  }
}
