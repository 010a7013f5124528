package io.renderrelay.worker.lookup;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The owners' view (every partition's owner URL: one group describe and one directory read) kept
 * for a short time, so forwarded lookups do not each describe the group and read the directory. The
 * view is read again when it is older than {@code ttl}, after this replica's own assignment changed
 * (the group rebalanced), after a forward to the owner it named failed, and when it names no owner
 * for the partition asked, at most once per {@code missRetry} (a rebalance elsewhere in progress).
 * A view read at a later time than the clock now says (the clock was stepped back) is read again.
 *
 * <p>One read runs at a time, and lookups the cached view answers never wait for it: a describe
 * held up by the group coordinator (up to its timeout) delays only the lookups that need a new
 * view. The wait is on a {@link ReentrantLock}, not a monitor, so on Java 21 the HTTP server's
 * virtual threads unmount instead of pinning its few carrier threads (a pod with one CPU has one).
 */
public final class CachedOwners implements JobLookup.Owners {

  private record View(Map<Integer, URI> owners, Instant readAt) {}

  private final Supplier<Map<Integer, URI>> source;
  private final Clock clock;
  private final Duration ttl;
  private final Duration missRetry;
  private final ReentrantLock reading = new ReentrantLock();
  private final Object state = new Object();
  private View view;
  private long generation;

  /**
   * @param source reads the whole view (e.g. {@link JobOwners#view})
   */
  public CachedOwners(
      Supplier<Map<Integer, URI>> source, Clock clock, Duration ttl, Duration missRetry) {
    this.source = source;
    this.clock = clock;
    this.ttl = ttl;
    this.missRetry = missRetry;
  }

  @Override
  public Optional<URI> ownerOf(int partition) {
    View seen = usable(partition, clock.instant());
    if (seen == null) {
      seen = readAgain(partition);
    }
    return Optional.ofNullable(seen.owners().get(partition));
  }

  /** The owner named for {@code partition} was wrong or unreachable: read the view again. */
  @Override
  public void stale(int partition) {
    forget();
  }

  /** This replica's assignment changed, so the group's did: read the view again. */
  @Override
  public void assignmentChanged() {
    forget();
  }

  private void forget() {
    synchronized (state) {
      view = null;
      generation++; // a read begun before this is not kept
    }
  }

  /** The cached view when it may answer for {@code partition} at {@code now}; else null. */
  private View usable(int partition, Instant now) {
    synchronized (state) {
      View v = view;
      if (v == null || !youngerThan(v, ttl, now)) {
        return null;
      }
      return v.owners().containsKey(partition) || youngerThan(v, missRetry, now) ? v : null;
    }
  }

  /** Reads the view, unless a read that ran while this one waited for its turn made it usable. */
  private View readAgain(int partition) {
    reading.lock();
    try {
      Instant now = clock.instant();
      View fresh = usable(partition, now);
      if (fresh != null) {
        return fresh;
      }
      long started;
      synchronized (state) {
        started = generation;
      }
      View read = new View(Map.copyOf(source.get()), now);
      synchronized (state) {
        if (generation == started) {
          view = read;
        }
      }
      return read;
    } finally {
      reading.unlock();
    }
  }

  /**
   * The view's age is in [0, {@code limit}): a view read in this clock's future (the wall clock was
   * stepped back) is as old as can be, or it would be kept for as long as the step.
   */
  private static boolean youngerThan(View v, Duration limit, Instant now) {
    return !now.isBefore(v.readAt()) && now.isBefore(v.readAt().plus(limit));
  }
}
