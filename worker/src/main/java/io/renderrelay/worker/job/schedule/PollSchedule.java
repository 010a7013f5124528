package io.renderrelay.worker.job.schedule;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which fixed-delay tier the n-th poll of a job waits in. Tiers with a delay are used in order,
 * each for its {@code attempts} polls, the last one until the deadline; the tier with zero delay
 * carries the "poll now" tickets that callbacks create.
 */
public final class PollSchedule {

  private final List<PollTier> scheduled;
  private final List<PollTier> byDelay;
  private final PollTier callbackTier;

  public PollSchedule(List<PollTier> tiers) {
    this.scheduled = tiers.stream().filter(t -> !t.delay().isZero()).toList();
    this.callbackTier =
        tiers.stream()
            .filter(t -> t.delay().isZero())
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "poll tiers need one zero-delay tier for callbacks"));
    if (scheduled.isEmpty()) {
      throw new IllegalArgumentException("poll tiers need at least one tier with a delay");
    }
    this.byDelay =
        scheduled.stream().sorted(java.util.Comparator.comparing(PollTier::delay)).toList();
  }

  /** The first leg of a wait: a tier and what is left to wait after its delay. */
  public record Hop(PollTier tier, java.time.Duration left) {}

  /**
   * How a wait of {@code wait} is spent in tiers: the longest tier delay that fits (the shortest
   * when none does), and the rest, which is zero once less than half the shortest delay is left (so
   * a poll is never more than half the shortest delay early or late).
   */
  public Hop hop(java.time.Duration wait) {
    PollTier pick = byDelay.get(0);
    for (PollTier t : byDelay) {
      if (t.delay().compareTo(wait) <= 0) {
        pick = t;
      }
    }
    java.time.Duration left = wait.minus(pick.delay());
    return new Hop(
        pick, left.compareTo(shortestDelay().dividedBy(2)) < 0 ? java.time.Duration.ZERO : left);
  }

  /** The shortest tier delay: no scheduled poll waits less. */
  java.time.Duration shortestDelay() {
    return byDelay.get(0).delay();
  }

  /** The longest tier delay. */
  java.time.Duration longestDelay() {
    return byDelay.get(byDelay.size() - 1).delay();
  }

  /** The tier of poll number {@code seq} (1 = the first poll after submit). */
  PollTier tierFor(int seq) {
    int remaining = Math.max(1, seq);
    for (int i = 0; i < scheduled.size() - 1; i++) {
      PollTier t = scheduled.get(i);
      if (remaining <= t.attempts()) {
        return t;
      }
      remaining -= t.attempts();
    }
    return scheduled.get(scheduled.size() - 1);
  }

  public PollTier callbackTier() {
    return callbackTier;
  }

  /** Every tier topic and its delay. */
  public Map<String, java.time.Duration> topics() {
    return java.util.stream.Stream.concat(
            scheduled.stream(), java.util.stream.Stream.of(callbackTier))
        .collect(Collectors.toMap(PollTier::topic, PollTier::delay));
  }
}
