package io.renderrelay.worker.spend;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The jobs this replica holds back (seen held within the last minute: a held job is checked again
 * every submit retry delay), and which cap exhaustions were already logged.
 */
final class HeldJobs {

  private static final Duration RECENT = Duration.ofMinutes(1);
  private static final int MAX_LOGGED = 1000;
  private static final int MIN_PRUNE_ABOVE = 1024;

  private final Clock clock;
  private final Map<String, Instant> jobs = new HashMap<>();
  private final Set<String> logged = new HashSet<>();
  private int pruneAbove = MIN_PRUNE_ABOVE;

  HeldJobs(Clock clock) {
    this.clock = clock;
  }

  synchronized void hold(String jobId) {
    Instant now = clock.instant();
    jobs.put(jobId, now);
    if (jobs.size() > pruneAbove) {
      // without a scrape of the held-jobs gauge nothing else prunes: keep it bounded by the jobs
      // held within the last minute
      jobs.values().removeIf(t -> t.isBefore(now.minus(RECENT)));
      pruneAbove = Math.max(MIN_PRUNE_ABOVE, jobs.size() * 2);
    }
  }

  synchronized void release(String jobId) {
    jobs.remove(jobId);
  }

  /** Entries kept, recent or not (for tests: {@link #count} prunes first). */
  synchronized int tracked() {
    return jobs.size();
  }

  synchronized int count() {
    return ids().size();
  }

  synchronized Set<String> ids() {
    Instant since = clock.instant().minus(RECENT);
    jobs.values().removeIf(t -> t.isBefore(since));
    return Set.copyOf(jobs.keySet());
  }

  /** True the first time a scope and period is found exhausted (so it is logged once). */
  synchronized boolean exhausted(String scopeAndPeriod) {
    if (logged.size() >= MAX_LOGGED) {
      logged.clear();
    }
    return logged.add(scopeAndPeriod);
  }
}
