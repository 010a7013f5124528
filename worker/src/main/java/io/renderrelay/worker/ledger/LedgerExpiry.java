package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.LedgerWrite;
import io.renderrelay.worker.engine.StepResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dedupe horizon: once per interval, scans a bounded slice of each owned partition of the local
 * ledger (resuming where the last scan stopped) and returns tombstones for jobs that ended longer
 * than the horizon ago. Jobs still running are never expired, whatever their age.
 */
public final class LedgerExpiry {

  private static final Logger log = LoggerFactory.getLogger(LedgerExpiry.class);
  private static final int SCAN_FACTOR = 10;

  private final LedgerStore store;
  private final String topic;
  private final Settings settings;
  private final Clock clock;
  private final Map<Integer, String> cursors = new HashMap<>();
  private Instant nextScan;

  /**
   * @param horizon how long after its end a job is remembered
   * @param interval time between scans
   * @param batch most tombstones per scan and partition; at most ten times as many entries are read
   */
  public record Settings(Duration horizon, Duration interval, int batch) {}

  public LedgerExpiry(LedgerStore store, String topic, Settings settings, Clock clock) {
    this.store = store;
    this.topic = topic;
    this.settings = settings;
    this.clock = clock;
    this.nextScan = clock.instant().plus(settings.interval());
  }

  /** Tombstones due now in the given partitions, skipping busy keys; none between scans. */
  public StepResult due(Set<Integer> partitions, Predicate<String> busy) {
    Instant now = clock.instant();
    if (now.isBefore(nextScan)) {
      return StepResult.done();
    }
    nextScan = now.plus(settings.interval());
    cursors.keySet().retainAll(partitions);
    Instant endedBefore = now.minus(settings.horizon());
    StepResult.Builder b = StepResult.builder();
    int expired = 0;
    for (int partition : partitions) {
      expired += scan(partition, endedBefore, busy, b);
    }
    if (expired > 0) {
      log.info(
          "ledger expiry: {} tombstones for jobs ended before {} (horizon {})",
          expired,
          endedBefore,
          settings.horizon());
    }
    return b.done();
  }

  private int scan(
      int partition, Instant endedBefore, Predicate<String> busy, StepResult.Builder b) {
    List<JobState> slice =
        store.scan(partition, cursors.get(partition), settings.batch() * SCAN_FACTOR);
    int expired = 0;
    String last = null;
    for (JobState s : slice) {
      if (expired >= settings.batch()) {
        break;
      }
      last = s.getJobId();
      if (ended(s.getPhase())
          && s.getUpdatedAt().isBefore(endedBefore)
          && !busy.test(s.getJobId())) {
        b.ledger(
            new LedgerWrite(partition, s.getJobId(), Optional.empty()),
            new ProducerRecord<>(
                topic, partition, s.getJobId().getBytes(StandardCharsets.UTF_8), null));
        expired++;
      }
    }
    boolean wrapped =
        last == null
            || (slice.size() < settings.batch() * SCAN_FACTOR
                && last.equals(slice.getLast().getJobId()));
    if (wrapped) {
      cursors.remove(partition);
    } else {
      cursors.put(partition, last);
    }
    return expired;
  }

  private static boolean ended(JobPhase phase) {
    return phase == JobPhase.COMPLETED || phase == JobPhase.FAILED || phase == JobPhase.AMBIGUOUS;
  }
}
