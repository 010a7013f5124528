package io.renderrelay.worker.cli;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.job.state.Jobs;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;

/**
 * What the worker did with replayed commands, read from its outcome: once the worker group's
 * committed offset has passed a replayed record, its ledger write (if any) is committed with it, so
 * a new run of the job in the ledger after the replay started ({@link #startsARun}) means the
 * command ran again, and none means the worker dropped it as a duplicate of a job it keeps (paid,
 * or still running). Several replayed records of one job run it as many times as the ledger shows.
 */
final class ReplayOutcomes {

  /** A replayed record as the broker acknowledged it. */
  record Sent(String jobId, TopicPartition target, long offset) {}

  private final ClientFactory clients;
  private final LedgerTopicReader ledger;
  private final String group;
  private final io.renderrelay.worker.retry.Sleeper sleeper;
  private final LongSupplier nanoTime;

  ReplayOutcomes(
      ClientFactory clients,
      LedgerTopicReader ledger,
      String group,
      io.renderrelay.worker.retry.Sleeper sleeper,
      LongSupplier nanoTime) {
    this.clients = clients;
    this.ledger = ledger;
    this.group = group;
    this.sleeper = sleeper;
    this.nanoTime = nanoTime;
  }

  /** The ledger's end offsets before the replay: records at or after them are its outcome. */
  Map<Integer, Long> mark() {
    return ledger.endOffsets();
  }

  /** Waits for the worker group to consume the sent records, then prints one line per record. */
  Map<String, Long> report(
      List<Sent> sent, Map<Integer, Long> mark, Duration timeout, PrintWriter out)
      throws InterruptedException {
    Set<String> processed = awaitConsumed(sent, timeout);
    Set<String> jobIds = new HashSet<>();
    sent.forEach(s -> jobIds.add(s.jobId()));
    Map<String, JobState> latest = new HashMap<>();
    Map<String, Integer> reruns = new HashMap<>();
    ledger.read(
        ledger.partitions(),
        e -> {
          if (!jobIds.contains(e.jobId())) {
            return;
          }
          if (e.offset() >= mark.getOrDefault(e.partition(), Long.MAX_VALUE)
              && e.state().isPresent()
              && startsARun(latest.get(e.jobId()), e.state().get())) {
            reruns.merge(e.jobId(), 1, Integer::sum);
          }
          e.state().ifPresentOrElse(s -> latest.put(e.jobId(), s), () -> latest.remove(e.jobId()));
        });
    Map<String, Long> counts = new TreeMap<>();
    for (Sent s : sent) {
      String outcome;
      Optional<JobState> state = Optional.ofNullable(latest.get(s.jobId()));
      if (reruns.merge(s.jobId(), -1, Integer::sum) >= 0) {
        outcome = "runs again" + state.map(st -> ": now " + describe(st)).orElse("");
        counts.merge("ran_again", 1L, Long::sum);
      } else if (!processed.contains(s.jobId())) {
        outcome = "not consumed by group " + group + " within " + timeout;
        counts.merge("pending", 1L, Long::sum);
      } else if (state.isPresent()) {
        outcome =
            (state.get().getSubmitAttempts() > 0 ? "duplicate of a paid job: " : "duplicate: ")
                + describe(state.get());
        counts.merge("duplicate", 1L, Long::sum);
      } else {
        outcome = "consumed, no ledger entry (not a job command, or forgotten)";
        counts.merge("no_job", 1L, Long::sum);
      }
      out.println("outcome jobId=" + s.jobId() + " " + outcome);
    }
    return counts;
  }

  private Set<String> awaitConsumed(List<Sent> sent, Duration timeout) throws InterruptedException {
    Set<TopicPartition> targets = new HashSet<>();
    sent.forEach(s -> targets.add(s.target()));
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    Set<String> done = new HashSet<>();
    while (true) {
      Map<TopicPartition, Long> committed = clients.committedOffsets(group, targets);
      done.clear();
      for (Sent s : sent) {
        if (committed.getOrDefault(s.target(), -1L) > s.offset()) {
          done.add(s.jobId());
        }
      }
      if (done.size() == sent.size() || nanoTime.getAsLong() >= deadline) {
        return done;
      }
      sleeper.sleep(Duration.ofMillis(500));
    }
  }

  /**
   * Whether a ledger record is a new run of its job rather than progress of the one before: the job
   * was unknown (never seen, or forgotten) or had ended unpaid, or the record was created anew
   * (each run's first entry takes a new {@code createdAt}; progress keeps it). Polls of a job still
   * running write records too: they are no rerun, and two replays of one command run it once.
   */
  private static boolean startsARun(JobState before, JobState after) {
    return before == null
        || Jobs.endedUnpaid(before)
        || !before.getCreatedAt().equals(after.getCreatedAt());
  }

  private static String describe(JobState s) {
    return s.getPhase()
        + (s.getOutcome() == null || s.getOutcome().equals(s.getPhase().name())
            ? ""
            : " (" + s.getOutcome() + ")")
        + ", "
        + s.getSubmitAttempts()
        + " paid attempt(s)"
        + (Jobs.endedUnpaid(s) ? ", ended unpaid" : "");
  }
}
