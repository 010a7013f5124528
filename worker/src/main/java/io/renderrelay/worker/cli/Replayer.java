package io.renderrelay.worker.cli;

import io.renderrelay.worker.ratelimit.TokenBucket;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;

/**
 * Republishes the dead-letter records a filter selects: reads the DLT range, plans each record,
 * waits for the rate limiter, sends with the (idempotent) producer, and counts. In a dry run it
 * prints what it would send and sends nothing.
 */
final class Replayer {

  /**
   * @param rate waits before each send (a {@link TokenBucket}'s {@code acquire}); empty for no cap
   * @param max stop after this many records were (or would be) sent; {@code Long.MAX_VALUE} for all
   */
  public record Settings(boolean dryRun, Optional<Pace> rate, long max) {}

  /** Waits until the next send may go. */
  @FunctionalInterface
  public interface Pace {
    void acquire() throws InterruptedException;
  }

  /** The outcome. */
  public record Summary(
      long scanned,
      long replayed,
      long skipped,
      long failed,
      Map<String, Long> skipReasons,
      boolean dryRun,
      List<ReplayOutcomes.Sent> sent) {
    /** {@code replayed=N skipped=M dry_run=B} (and {@code failed=K} when sends failed). */
    public String line() {
      return "replayed="
          + replayed
          + " skipped="
          + skipped
          + " dry_run="
          + dryRun
          + (failed > 0 ? " failed=" + failed : "");
    }
  }

  private final DltReader reader;
  private final Producer<byte[], byte[]> producer;
  private final ReplayPlanner planner;
  private final Settings settings;
  private final PrintWriter out;
  private final LongFunction<ProgressBar> progressBars;
  private final List<ReplayOutcomes.Sent> sent = new CopyOnWriteArrayList<>();

  /**
   * @param progressBars makes the progress bar for a scan of the given number of offsets
   */
  public Replayer(
      DltReader reader,
      Producer<byte[], byte[]> producer,
      ReplayPlanner planner,
      Settings settings,
      PrintWriter out,
      LongFunction<ProgressBar> progressBars) {
    this.reader = reader;
    this.producer = producer;
    this.planner = planner;
    this.settings = settings;
    this.out = out;
    this.progressBars = progressBars;
  }

  public Summary run(DltFilter filter, DltReader.Range range) throws InterruptedException {
    ProgressBar bar = progressBars.apply(range.size());
    AtomicLong scanned = new AtomicLong();
    AtomicLong planned = new AtomicLong();
    AtomicLong acked = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstError = new AtomicReference<>();
    Map<String, Long> skips = new TreeMap<>();
    AtomicReference<InterruptedException> interrupted = new AtomicReference<>();
    long[] consumedOffsets = {0};
    reader.scan(
        range,
        r -> {
          scanned.incrementAndGet();
          if (!filter.matches(r)) {
            return true;
          }
          switch (planner.plan(r)) {
            case ReplayPlanner.Plan.Skip s -> skips.merge(s.reason(), 1L, Long::sum);
            case ReplayPlanner.Plan.Send s -> {
              try {
                send(r, s, acked, failed, firstError);
              } catch (InterruptedException e) {
                interrupted.set(e);
                return false;
              }
              planned.incrementAndGet();
              bar.update(consumedOffsets[0], planned.get());
            }
          }
          return planned.get() < settings.max();
        },
        n -> {
          consumedOffsets[0] = n;
          bar.update(n, planned.get());
        });
    if (interrupted.get() != null) {
      throw interrupted.get();
    }
    if (!settings.dryRun()) {
      producer.flush();
    }
    bar.finish(consumedOffsets[0], planned.get());
    long skipped = skips.values().stream().mapToLong(Long::longValue).sum();
    long replayed = settings.dryRun() ? planned.get() : acked.get();
    Summary summary =
        new Summary(
            scanned.get(),
            replayed,
            skipped,
            failed.get(),
            Map.copyOf(skips),
            settings.dryRun(),
            List.copyOf(sent));
    if (firstError.get() != null) {
      out.println(summary.line());
      out.flush();
      throw new CliException(
          failed.get()
              + " record(s) could not be sent; first error: "
              + firstError.get().getMessage(),
          firstError.get());
    }
    return summary;
  }

  private void send(
      ConsumerRecord<byte[], byte[]> r,
      ReplayPlanner.Plan.Send s,
      AtomicLong acked,
      AtomicLong failed,
      AtomicReference<Exception> firstError)
      throws InterruptedException {
    String line =
        "partition="
            + r.partition()
            + " offset="
            + r.offset()
            + " jobId="
            + (r.key() == null ? "-" : Bytes.display(r.key()))
            + " -> "
            + s.record().topic()
            + " replay="
            + s.replayNumber();
    if (settings.dryRun()) {
      out.println("would replay " + line);
      return;
    }
    if (settings.rate().isPresent()) {
      settings.rate().get().acquire();
    }
    producer.send(
        s.record(),
        (meta, error) -> {
          if (error == null) {
            acked.incrementAndGet();
            if (r.key() != null) {
              sent.add(
                  new ReplayOutcomes.Sent(
                      new String(r.key(), StandardCharsets.UTF_8),
                      new TopicPartition(meta.topic(), meta.partition()),
                      meta.offset()));
            }
          } else {
            failed.incrementAndGet();
            firstError.compareAndSet(null, error);
          }
        });
    out.println("replay " + line);
  }
}
