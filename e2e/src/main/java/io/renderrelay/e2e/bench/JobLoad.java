package io.renderrelay.e2e.bench;

import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.worker.config.WorkerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a batch of commands as upstream would (half restyle, half act-one, unique job ids) and
 * follows their terminal events over time.
 */
public final class JobLoad {

  /** Completed jobs at a moment, seconds after the first publish. */
  public record Sample(double seconds, long terminal) {}

  private final List<String> jobIds;
  private final List<Sample> samples = new ArrayList<>();
  private long startNanos;

  private JobLoad(List<String> jobIds) {
    this.jobIds = jobIds;
  }

  /** {@code n} fresh job ids with a prefix. */
  public static JobLoad of(String prefix, int n) {
    List<String> ids = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ids.add(prefix + "-" + i + "-" + UUID.randomUUID());
    }
    return new JobLoad(ids);
  }

  /**
   * Publishes every command; returns when all are acknowledged. The first restyle and act-one
   * commands are sent one by one, so that the bulk starts only once both topics have leaders (a
   * bulk sent into partitions still electing stalled the idempotent producer for its whole delivery
   * timeout); a command that is not acknowledged fails the load.
   */
  public JobLoad publish(Commands commands) throws InterruptedException {
    startNanos = System.nanoTime();
    Instant now = Instant.now();
    List<Future<RecordMetadata>> sent = new ArrayList<>(jobIds.size());
    for (int i = 0; i < jobIds.size(); i++) {
      String id = jobIds.get(i);
      SpecificRecord cmd = i % 2 == 0 ? Commands.restyle(id, now) : Commands.actOne(id, now);
      if (i < 2) {
        commands.send(cmd);
      } else {
        sent.add(commands.sendAsync(cmd));
      }
    }
    commands.flush();
    int failed = 0;
    Throwable first = null;
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failed++;
        first = first == null ? e.getCause() : first;
      }
    }
    if (failed > 0) {
      throw new IllegalStateException(
          failed + " of " + jobIds.size() + " commands were not acknowledged: " + first, first);
    }
    return this;
  }

  /**
   * Waits until every job has a terminal event or the timeout passes, sampling the count every
   * {@code every}; returns the time from the first publish to the last terminal event seen.
   */
  public Duration awaitAll(EventCollector events, Duration timeout, Duration every)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long n;
    do {
      n = events.terminalCount(jobIds);
      samples.add(new Sample((System.nanoTime() - startNanos) / 1e9, n));
      if (n >= jobIds.size()) {
        break;
      }
      Thread.sleep(every.toMillis());
    } while (System.nanoTime() < deadline);
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  public List<String> jobIds() {
    return jobIds;
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Jobs whose first terminal event is a RenderCompleted. */
  public long completed(EventCollector events) {
    return jobIds.stream()
        .filter(
            id ->
                events.eventsOf(id).stream()
                    .findFirst()
                    .filter(EventCollector::completed)
                    .isPresent())
        .count();
  }

  /** Every topic the worker writes (not the command topics). */
  public static List<String> workerTopics(WorkerConfig config) {
    WorkerConfig.Topics t = config.kafka().topics();
    List<String> out = new ArrayList<>(List.of(t.events(), t.jobs(), t.deadLetter(), t.pollNow()));
    config.kafka().pollTiers().forEach(p -> out.add(p.topic()));
    return out;
  }
}
