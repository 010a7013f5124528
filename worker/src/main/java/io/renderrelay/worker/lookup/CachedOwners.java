package io.renderrelay.worker.lookup;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The owners' view (every partition's owner URL: one group describe and one directory read) kept
 * for a short time, so forwarded lookups do not each describe the group and read the directory. The
 * view is read again when it is older than {@code ttl}, after this replica's own assignment changed
 * (the group rebalanced), after a forward to the owner it named failed, and when it names no owner
 * for the partition asked, at most once per {@code missRetry} (a rebalance elsewhere in progress).
 * A view read at a later time than the clock now says (the clock was stepped back) is read again.
 */
public final class CachedOwners implements JobLookup.Owners {

  private record View(Map<Integer, URI> owners, Instant readAt) {}

  private final Supplier<Map<Integer, URI>> source;
  private final Clock clock;
  private final Duration ttl;
  private final Duration missRetry;
  private View view;

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
  public synchronized Optional<URI> ownerOf(int partition) {
    Instant now = clock.instant();
    if (view == null || !youngerThan(ttl, now)) {
      view = read(now);
    } else if (!view.owners().containsKey(partition) && !youngerThan(missRetry, now)) {
      view = read(now);
    }
    return Optional.ofNullable(view.owners().get(partition));
  }

  /**
   * The view's age is in [0, {@code limit}): a view read in this clock's future (the wall clock was
   * stepped back) is as old as can be, or it would be kept for as long as the step.
   */
  private boolean youngerThan(Duration limit, Instant now) {
    return !now.isBefore(view.readAt()) && now.isBefore(view.readAt().plus(limit));
  }

  /** The owner named for {@code partition} was wrong or unreachable: read the view again. */
  @Override
  public synchronized void stale(int partition) {
    view = null;
  }

  /** This replica's assignment changed, so the group's did: read the view again. */
  @Override
  public synchronized void assignmentChanged() {
    view = null;
  }

  private View read(Instant now) {
    return new View(Map.copyOf(source.get()), now);
  }
}
