package io.renderrelay.worker.timeline;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The fleet's one timeline: this machine's clock corrected by the estimated offset to the Kafka
 * broker's clock (see {@link OffsetEstimator}). Every time a worker writes for another worker to
 * compare (a job's deadline checks, ledger times, not-found grace, ticket due times) is read from
 * it, so two workers agree on "now" as closely as each agrees with the broker, whatever their own
 * clocks say. Local durations (a commit interval, a permit's lifetime) need no correction.
 */
public final class FleetClock extends Clock {

  private final Clock local;
  private final OffsetEstimator estimator;

  public FleetClock(Clock local, OffsetEstimator estimator) {
    this.local = local;
    this.estimator = estimator;
  }

  @Override
  public Instant instant() {
    return local.instant().plus(estimator.offset());
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
