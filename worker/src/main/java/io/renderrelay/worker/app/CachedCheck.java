package io.renderrelay.worker.app;

import io.renderrelay.worker.http.HealthCheck;
import io.renderrelay.worker.http.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * A dependency check that asks the dependency at most once per interval, so probes and scrapes
 * never hammer Kafka, the registry or S3; {@link #last()} answers the latest result without asking.
 */
final class CachedCheck implements HealthCheck {

  private final String name;
  private final Callable<String> probe;
  private final Clock clock;
  private final Duration ttl;
  private volatile Instant checkedAt = Instant.EPOCH;
  private volatile HealthStatus last = HealthStatus.down("not checked yet");

  CachedCheck(String name, Callable<String> probe, Clock clock, Duration ttl) {
    this.name = name;
    this.probe = probe;
    this.clock = clock;
    this.ttl = ttl;
  }

  @Override
  public String name() {
    return name;
  }

  /** The latest result, without asking the dependency (never blocks). */
  HealthStatus last() {
    return last;
  }

  @Override
  public synchronized HealthStatus check() {
    Instant now = clock.instant();
    if (Duration.between(checkedAt, now).compareTo(ttl) < 0) {
      return last;
    }
    checkedAt = now;
    try {
      last = HealthStatus.up(probe.call());
    } catch (Exception e) {
      last = HealthStatus.down(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    return last;
  }
}
