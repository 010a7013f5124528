package io.renderrelay.worker.provider;

import io.renderrelay.worker.provider.ProviderException.FatalReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide switch for paid submits: open, or closed since a time because the key is wrong or
 * the account has no credit. Polls are never gated.
 *
 * <p>While closed, one submit may go through as a probe every {@code probeInterval} (see {@link
 * #tryAcquireProbe(Instant)}); a successful submit reopens the gate, and so can an operator.
 */
public final class SubmissionGate {

  private static final Logger log = LoggerFactory.getLogger(SubmissionGate.class);

  /** The gate's state. */
  public sealed interface State permits Open, Closed {}

  /** Submits flow. */
  public record Open() implements State {}

  /**
   * Submits are paused.
   *
   * @param lastProbe when the last probe was let through ({@code since} if none yet)
   */
  public record Closed(FatalReason reason, Instant since, Instant lastProbe) implements State {}

  private final AtomicReference<State> state = new AtomicReference<>(new Open());
  private final Clock clock;
  private final Duration probeInterval;

  /**
   * @param probeInterval how long after closing (and after each probe) one submit may try again
   */
  public SubmissionGate(Clock clock, Duration probeInterval) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
    if (probeInterval.isNegative()) {
      throw new IllegalArgumentException("probe interval must not be negative: " + probeInterval);
    }
  }

  /** The current state. */
  public State state() {
    return state.get();
  }

  public boolean isOpen() {
    return state.get() instanceof Open;
  }

  /** Why submits are paused, if they are. */
  public Optional<FatalReason> reason() {
    return state.get() instanceof Closed c ? Optional.of(c.reason()) : Optional.empty();
  }

  /** Since when submits are paused, if they are. */
  Optional<Instant> closedSince() {
    return state.get() instanceof Closed c ? Optional.of(c.since()) : Optional.empty();
  }

  /**
   * Pauses submits; a gate already closed keeps its start time and takes the new reason.
   *
   * @return true when this call closed an open gate
   */
  public boolean close(FatalReason reason) {
    Objects.requireNonNull(reason, "reason");
    Instant now = clock.instant();
    State previous =
        state.getAndUpdate(
            s ->
                s instanceof Closed c
                    ? new Closed(reason, c.since(), c.lastProbe())
                    : new Closed(reason, now, now));
    if (previous instanceof Open) {
      log.error(
          "provider submissions paused: {} (polls go on; probe every {})", reason, probeInterval);
      return true;
    }
    return false;
  }

  /**
   * Lets submits flow again (operator action or a successful probe).
   *
   * @return true when this call opened a closed gate
   */
  boolean reopen() {
    State previous = state.getAndSet(new Open());
    if (previous instanceof Closed c) {
      log.info("provider submissions resumed (were paused for {} since {})", c.reason(), c.since());
      return true;
    }
    return false;
  }

  /** Whether a probe submit is due at {@code now}: closed and a probe interval has passed. */
  public boolean probeDue(Instant now) {
    return state.get() instanceof Closed c && !now.isBefore(c.lastProbe().plus(probeInterval));
  }

  /**
   * Claims the due probe: returns true for exactly one caller per probe interval while closed, who
   * may then send one submit.
   */
  boolean tryAcquireProbe(Instant now) {
    while (true) {
      State current = state.get();
      if (!(current instanceof Closed c) || now.isBefore(c.lastProbe().plus(probeInterval))) {
        return false;
      }
      if (state.compareAndSet(current, new Closed(c.reason(), c.since(), now))) {
        log.info(
            "provider submissions paused for {}: letting one probe submit through", c.reason());
        return true;
      }
    }
  }

  @Override
  public String toString() {
    return "SubmissionGate[" + state.get() + "]";
  }
}
