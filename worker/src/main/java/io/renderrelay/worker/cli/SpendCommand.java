package io.renderrelay.worker.cli;

import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.worker.config.Money;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.spend.Periods;
import io.renderrelay.worker.spend.SpendBook;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay spend}: the fleet's estimated spend, read from the spend journal. */
@Command(
    name = "spend",
    mixinStandardHelpOptions = true,
    description = {
      "Estimated spend per tenant and job type in one UTC month or day, read (read_committed)"
          + " from the spend journal every worker writes, not from one replica's memory.",
      "Columns: tenant, job type, spent (reservations minus refunds), currency."
    })
final class SpendCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = "--tenant", paramLabel = "TENANT", description = "Only this tenant.")
  String tenant;

  @Option(
      names = "--period",
      paramLabel = "PERIOD",
      description = "A UTC month (2026-12) or day (2026-12-06); default: the current month.")
  String period;

  @Option(
      names = "--spend-topic",
      paramLabel = "TOPIC",
      defaultValue = "render.spend",
      description = "The spend journal (key spend.topic; default: ${DEFAULT-VALUE}).")
  String topic;

  @Mixin ReadTimeoutOption readTimeout;

  private final CliContext ctx;

  SpendCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    String p = period == null ? Periods.month(ctx.clock().instant()) : period.trim();
    if (!validPeriod(p)) {
      throw new CliUsageException("--period must be a month (2026-12) or a day (2026-12-06)");
    }
    SpendBook book = new SpendBook();
    Set<String> currencies = new HashSet<>();
    InternalCodec<SpendEntry> codec = InternalCodec.spendEntries(ReleasedSchemas.load());
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("spend")) {
      readAll(
          consumer,
          codec,
          e -> {
            book.apply(e);
            currencies.add(e.getCurrency());
          });
    }
    print(book.report(Optional.ofNullable(tenant), p), p, currencies);
    return 0;
  }

  /** A real UTC month ({@code 2026-12}) or day ({@code 2026-12-06}): not 2026-13 or 2026-02-30. */
  private static boolean validPeriod(String p) {
    try {
      if (p.matches("\\d{4}-\\d{2}")) {
        java.time.YearMonth.parse(p);
        return true;
      }
      if (p.matches("\\d{4}-\\d{2}-\\d{2}")) {
        java.time.LocalDate.parse(p);
        return true;
      }
      return false;
    } catch (java.time.DateTimeException e) {
      return false;
    }
  }

  private void readAll(
      Consumer<byte[], byte[]> consumer,
      InternalCodec<SpendEntry> codec,
      java.util.function.Consumer<SpendEntry> sink) {
    TopicPartition tp = new TopicPartition(topic, 0);
    if (consumer.partitionsFor(topic, readTimeout.timeout).isEmpty()) {
      throw new CliException("topic " + topic + " does not exist (is spend.enabled on?)");
    }
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
    long end = consumer.endOffsets(List.of(tp), readTimeout.timeout).get(tp);
    long deadline = ctx.nanoTime().getAsLong() + readTimeout.timeout.toNanos();
    while (consumer.position(tp) < end) {
      if (ctx.nanoTime().getAsLong() > deadline) {
        throw new CliException(
            "reading " + topic + " did not reach its end within " + readTimeout.timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        sink.accept(codec.decode(r.value()));
      }
    }
  }

  private void print(Map<SpendBook.Bucket, Long> rows, String p, Set<String> currencies) {
    PrintWriter out = ctx.out();
    currencies.remove("");
    String currency = currencies.size() == 1 ? currencies.iterator().next() : "";
    out.printf("spend in %s from %s (estimated)%n", p, topic);
    out.printf("%-24s  %-8s  %14s%n", "TENANT", "TYPE", "SPENT");
    long total = 0;
    for (Map.Entry<SpendBook.Bucket, Long> e : rows.entrySet()) {
      out.printf(
          "%-24s  %-8s  %14s%n",
          e.getKey().tenant(),
          e.getKey().jobType().name().toLowerCase(Locale.ROOT).replace('_', '-'),
          Money.format(e.getValue()));
      total += e.getValue();
    }
    out.printf("%-24s  %-8s  %14s %s%n", "total", "", Money.format(total), currency);
    out.flush();
  }
}
