package io.renderrelay.worker.app;

import io.renderrelay.worker.http.HealthCheck;
import io.renderrelay.worker.http.HealthRegistry;
import io.renderrelay.worker.http.HealthStatus;
import io.renderrelay.worker.metrics.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the worker's dependencies (Kafka, registry, S3) on its own threads, every interval: the
 * result goes to the {@code render_relay_dependency_up} gauge (what alerts watch), to a log line
 * when it changes, and to the health details. Probes read the last result and never wait for a
 * dependency, and a dependency never decides readiness.
 */
final class DependencyMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DependencyMonitor.class);

  private final List<CachedCheck> checks;
  private final Metrics metrics;
  private final Duration interval;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Boolean> reported = new ConcurrentHashMap<>();

  DependencyMonitor(List<CachedCheck> checks, Metrics metrics, Duration interval) {
    this.checks = List.copyOf(checks);
    this.metrics = metrics;
    this.interval = interval;
    this.scheduler =
        Executors.newScheduledThreadPool(
            Math.max(1, checks.size()),
            Thread.ofPlatform().daemon().name("dependency-check-", 0).factory());
  }

  /** Reports each dependency's last result as a detail of {@code health}. */
  void reportTo(HealthRegistry health) {
    for (CachedCheck c : checks) {
      health.registerDependency(HealthCheck.of(c.name(), c::last));
    }
  }

  void start() {
    for (CachedCheck c : checks) {
      scheduler.scheduleWithFixedDelay(
          () -> refresh(c), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void refresh(CachedCheck c) {
    HealthStatus now = c.check();
    metrics.dependency(c.name().replace('-', '_'), now.up());
    Boolean before = reported.put(c.name(), now.up());
    if (before == null || before != now.up()) {
      if (now.up()) {
        log.info("dependency {} is up: {}", c.name(), now.detail());
      } else {
        log.warn("dependency {} is down: {}", c.name(), now.detail());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
