package io.renderrelay.worker.timeline;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Optional;

/**
 * Estimates the broker's clock minus this machine's from produce round trips: the sample with the
 * shortest round trip among those of the last {@code window} (by acknowledgement time) wins, as
 * NTP's clock filter does. A sample that contradicts the current best (their bounds do not overlap:
 * this machine's clock was stepped, or the broker's) starts the window afresh. Thread-safe.
 */
public final class OffsetEstimator {

  /** Samples kept at most; older ones go first. */
  static final int MAX_SAMPLES = 64;

  private static final Duration STEP_SLACK = Duration.ofMillis(5);

  private final Duration window;
  private final Deque<ClockSample> samples = new ArrayDeque<>();
  private volatile Estimate current;

  /** The estimate: the offset to add to this machine's clock, and how far it may be off. */
  public record Estimate(Duration offset, Duration uncertainty) {}

  public OffsetEstimator(Duration window) {
    this.window = window;
  }

  /** Takes a sample in; returns the estimate after it. */
  public synchronized Estimate add(ClockSample s) {
    ClockSample best = best().orElse(null);
    if (best != null && !s.agreesWith(best, STEP_SLACK)) {
      samples.clear();
    }
    while (!samples.isEmpty()
        && (samples.size() >= MAX_SAMPLES
            || Duration.between(samples.peekFirst().acked(), s.acked()).compareTo(window) > 0)) {
      samples.removeFirst();
    }
    samples.addLast(s);
    ClockSample chosen = best().orElseThrow();
    current = new Estimate(chosen.offset(), chosen.roundTrip().dividedBy(2));
    return current;
  }

  /** The current estimate; empty before the first sample. */
  public Optional<Estimate> estimate() {
    return Optional.ofNullable(current);
  }

  /** The offset to add to this machine's clock to read the broker's; zero before any sample. */
  public Duration offset() {
    Estimate e = current;
    return e == null ? Duration.ZERO : e.offset();
  }

  private Optional<ClockSample> best() {
    return samples.stream().min(Comparator.comparing(ClockSample::roundTrip));
  }
}
