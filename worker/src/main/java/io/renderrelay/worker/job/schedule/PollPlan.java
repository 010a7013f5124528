package io.renderrelay.worker.job.schedule;

import io.renderrelay.avro.JobType;
import java.time.Duration;
import java.util.Optional;

/**
 * How long a job waits before its n-th scheduled poll. Where the job type's render times are known
 * (observed, or a configured prior), poll n goes at a quantile of them: with callbacks arriving the
 * scheduled polls are a safety net and start at the 95th percentile (a callback polls the finished
 * job once; its scheduled tickets are then stale and cost nothing); without callbacks they follow
 * the distribution (median, 75th, 90th, ... percentile). Otherwise, and past the last quantile, the
 * tier schedule decides. Every wait is at least the shortest tier delay and at most {@code
 * maxWait}, and none passes the job's deadline by more than that shortest delay.
 */
public final class PollPlan {

  /** Quantiles of the scheduled polls while callbacks arrive. */
  static final double[] WITH_CALLBACKS = {0.95, 0.99, 0.999};

  /** Quantiles of the scheduled polls when no callbacks arrive. */
  static final double[] WITHOUT_CALLBACKS = {0.5, 0.75, 0.9, 0.97, 0.99, 0.999};

  private final PollSchedule schedule;
  private final RenderTimes times;
  private final boolean callbacks;
  private final Duration maxWait;

  /**
   * @param callbacks the worker gives the provider a callback URL
   * @param maxWait the longest wait before one scheduled poll
   */
  public PollPlan(PollSchedule schedule, RenderTimes times, boolean callbacks, Duration maxWait) {
    this.schedule = schedule;
    this.times = times;
    this.callbacks = callbacks;
    this.maxWait = maxWait;
  }

  /** The tier schedule alone (nothing learned, no prior). */
  public static PollPlan tiersOnly(PollSchedule schedule) {
    return new PollPlan(schedule, RenderTimes.none(), false, schedule.longestDelay());
  }

  public PollSchedule schedule() {
    return schedule;
  }

  public RenderTimes times() {
    return times;
  }

  /**
   * The wait before poll number {@code seq} (1 = the first after submit).
   *
   * @param notFound the provider did not know the task at the last poll: the tier schedule's delay
   *     (one leg), so the not-found grace is counted in tier delays as before
   * @param untilDeadline time left until the job's deadline (by the caller's clock)
   */
  public Duration waitBefore(JobType type, int seq, boolean notFound, Duration untilDeadline) {
    Duration floor = schedule.shortestDelay();
    Duration wait =
        notFound
            ? schedule.tierFor(seq).delay()
            : learned(type, seq).orElseGet(() -> schedule.tierFor(seq).delay());
    if (wait.compareTo(maxWait) > 0) {
      wait = maxWait;
    }
    if (wait.compareTo(untilDeadline) > 0) {
      wait = untilDeadline;
    }
    return wait.compareTo(floor) < 0 ? floor : wait;
  }

  private Optional<Duration> learned(JobType type, int n) {
    int seq = Math.max(1, n);
    double[] plan = callbacks && times.callbacksArriving() ? WITH_CALLBACKS : WITHOUT_CALLBACKS;
    if (seq > plan.length) {
      return times.quantile(type, 0.5).map(any -> schedule.longestDelay());
    }
    Optional<Duration> at = times.quantile(type, plan[seq - 1]);
    if (seq == 1 || at.isEmpty()) {
      return at;
    }
    Duration before = times.quantile(type, plan[seq - 2]).orElse(Duration.ZERO);
    return Optional.of(at.get().minus(before));
  }
}
