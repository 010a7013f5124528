package io.renderrelay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock tests move by hand, in UTC; safe to read and move from several threads (a worker thread
 * reads it while the test advances it). {@link #ticking} makes one that also moves on every read.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final Duration perRead;

  /** A clock standing at {@code start}. */
  public MutableClock(Instant start) {
    this(start, Duration.ZERO);
  }

  private MutableClock(Instant start, Duration perRead) {
    this.now = new AtomicReference<>(start);
    this.perRead = perRead;
  }

  /**
   * A clock that moves {@code perRead} forward each time it is read (first read: start+perRead).
   */
  public static MutableClock ticking(Instant start, Duration perRead) {
    return new MutableClock(start, perRead);
  }

  /** Moves the clock forward (or back, for a negative duration) by {@code duration}. */
  public void advance(Duration duration) {
    now.updateAndGet(t -> t.plus(duration));
  }

  /** Sets the clock to {@code instant}. */
  public void set(Instant instant) {
    now.set(instant);
  }

  @Override
  public Instant instant() {
    return perRead.isZero() ? now.get() : now.updateAndGet(t -> t.plus(perRead));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same clock: it only ever tells UTC instants. */
  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
