package io.renderrelay.worker.provider;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Decides whether a paid submit may start, before anything about it is committed: the gate must be
 * open, or this caller must win the gate's probe claim (exactly one per probe interval), and the
 * caller then waits for its submit-rate permit. The wait ends early (nothing granted, the permit
 * handed back) as soon as {@code mayGo} turns false: the worker is stopping or the step lost its
 * partition. So a backlog waits for permits as jobs with no ledger intent, which a shutdown or a
 * revoke leaves as they were, never as committed intents.
 */
public final class SubmitAdmission {

  /** What {@link #admit(BooleanSupplier)} decided. */
  public sealed interface Decision permits Granted, Paused, GaveUp {}

  /** The submit may start: commit the intent, then POST with this permit. */
  public record Granted(SubmitPermit permit) implements Decision {}

  /** Submissions are paused (bad key, no credit) and the probe is not this caller's: try later. */
  public record Paused(String why) implements Decision {}

  /** The caller stopped waiting (stopping, lease gone, interrupted): nothing was taken. */
  public record GaveUp(String why) implements Decision {}

  private final SubmissionGate gate;
  private final RateLimiter limiter;
  private final Clock clock;
  private final Duration permitLifetime;
  private final LongSupplier monotonicNanos;

  /**
   * @param permitLifetime how long a granted permit stays good for its POST; an older one is not
   *     used (see {@link #fresh(SubmitPermit)})
   */
  public SubmitAdmission(
      SubmissionGate gate, RateLimiter limiter, Clock clock, Duration permitLifetime) {
    this(gate, limiter, clock, permitLifetime, System::nanoTime);
  }

  /**
   * @param monotonicNanos the monotonic clock that ages permits ({@code System::nanoTime} in
   *     production): the permit's freshness is the ownership proof of its POST, so a step of the
   *     wall clock (NTP, an operator) must neither refresh a stale permit nor expire a fresh one
   */
  public SubmitAdmission(
      SubmissionGate gate,
      RateLimiter limiter,
      Clock clock,
      Duration permitLifetime,
      LongSupplier monotonicNanos) {
    this.gate = Objects.requireNonNull(gate, "gate");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.permitLifetime = Objects.requireNonNull(permitLifetime, "permitLifetime");
    this.monotonicNanos = Objects.requireNonNull(monotonicNanos, "monotonicNanos");
  }

  /** The usual wiring: the runtime's gate and submit limiter. */
  public static SubmitAdmission of(ProviderRuntime runtime, Duration permitLifetime) {
    return new SubmitAdmission(
        runtime.gate(), runtime.submitLimiter(), runtime.clock(), permitLifetime);
  }

  /**
   * Claims the gate (or its probe), then waits for a submit-rate permit while {@code mayGo} holds.
   */
  public Decision admit(BooleanSupplier mayGo) {
    if (!mayGo.getAsBoolean()) {
      return new GaveUp("not waiting: stopping or the partition moved");
    }
    boolean probe = false;
    if (!gate.isOpen()) {
      if (!gate.tryAcquireProbe(clock.instant())) {
        return new Paused(
            "submissions are paused (" + gate.reason().map(Enum::name).orElse("?") + ")");
      }
      probe = true;
    }
    Optional<Duration> waited;
    try {
      waited = limiter.acquire(mayGo);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new GaveUp("interrupted while waiting for the submit rate limiter");
    }
    if (waited.isEmpty() || !mayGo.getAsBoolean()) {
      return new GaveUp("stopped waiting for the submit rate limiter");
    }
    return new Granted(new SubmitPermit(clock.instant(), monotonicNanos.getAsLong(), probe));
  }

  /**
   * Whether a permit may still be used for its POST: granted within the permit lifetime, measured
   * on the monotonic clock (never the wall clock, which may step either way).
   */
  public boolean fresh(SubmitPermit permit) {
    return monotonicNanos.getAsLong() - permit.grantedNanos() <= permitLifetime.toNanos();
  }

  /** How long a permit stays good for its POST. */
  public Duration permitLifetime() {
    return permitLifetime;
  }
}
