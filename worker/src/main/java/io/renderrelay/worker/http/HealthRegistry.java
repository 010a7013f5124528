package io.renderrelay.worker.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The liveness and readiness checks of the process. Liveness: the process's loops are alive
 * (restart otherwise). Readiness: every dependency is usable (take no traffic otherwise).
 */
public final class HealthRegistry {
  private final List<HealthCheck> liveness = new CopyOnWriteArrayList<>();
  private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();

  /** The result of one check. */
  public record CheckResult(String name, HealthStatus status) {}

  /** All checks of one kind; up when every check is up. */
  public record HealthReport(boolean up, List<CheckResult> checks) {
    public HealthReport {
      checks = List.copyOf(checks);
    }
  }

  /** Adds a liveness check (e.g. a loop's heartbeat). */
  public void registerLiveness(HealthCheck check) {
    liveness.add(check);
  }

  /** Adds a readiness check (e.g. partitions assigned, ledger restored, gate open). */
  public void registerReadiness(HealthCheck check) {
    readiness.add(check);
  }

  public HealthReport liveness() {
    return run(liveness);
  }

  public HealthReport readiness() {
    return run(readiness);
  }

  private static HealthReport run(List<HealthCheck> checks) {
    List<CheckResult> results = new ArrayList<>();
    boolean up = true;
    for (HealthCheck check : checks) {
      HealthStatus status;
      try {
        status = check.check();
        if (status == null) {
          status = HealthStatus.down("check returned no status");
        }
      } catch (RuntimeException e) {
        status = HealthStatus.down("check failed: " + e.getClass().getSimpleName());
      }
      up &= status.up();
      results.add(new CheckResult(check.name(), status));
    }
    return new HealthReport(up, results);
  }
}
