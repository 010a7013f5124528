package io.renderrelay.worker.http;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The health checks of the process. Liveness: the process's loops are alive (restart otherwise).
 * Readiness: it can serve callbacks (take no traffic otherwise). Dependencies (Kafka, registry, S3,
 * the submission gate) are reported beside readiness but never decide it: an outage of a service
 * every replica shares would make every pod NotReady at once, and callbacks would lose their
 * endpoints while nothing a restart or a reroute could fix.
 */
public final class HealthRegistry {
  private final List<HealthCheck> liveness = new CopyOnWriteArrayList<>();
  private final List<HealthCheck> readiness = new CopyOnWriteArrayList<>();
  private final List<HealthCheck> dependencies = new CopyOnWriteArrayList<>();

  /** The result of one check. */
  public record CheckResult(String name, HealthStatus status) {}

  /**
   * All checks of one kind; up when every check is up. {@code dependencies} are details only: they
   * never change {@code up}.
   */
  public record HealthReport(boolean up, List<CheckResult> checks, List<CheckResult> dependencies) {
    public HealthReport {
      checks = List.copyOf(checks);
      dependencies = List.copyOf(dependencies);
    }
  }

  /** Adds a liveness check (e.g. a loop's heartbeat). */
  public void registerLiveness(HealthCheck check) {
    liveness.add(check);
  }

  /** Adds a readiness check (e.g. the pipeline runs, the callback listener accepts). */
  public void registerReadiness(HealthCheck check) {
    readiness.add(check);
  }

  /** Adds a dependency, reported with readiness but never deciding it (e.g. S3, the registry). */
  public void registerDependency(HealthCheck check) {
    dependencies.add(check);
  }

  public HealthReport liveness() {
    List<CheckResult> checks = run(liveness);
    return new HealthReport(allUp(checks), checks, List.of());
  }

  public HealthReport readiness() {
    List<CheckResult> checks = run(readiness);
    return new HealthReport(allUp(checks), checks, run(dependencies));
  }

  private static boolean allUp(List<CheckResult> results) {
    return results.stream().allMatch(r -> r.status().up());
  }

  private static List<CheckResult> run(List<HealthCheck> checks) {
    List<CheckResult> results = new ArrayList<>();
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
      results.add(new CheckResult(check.name(), status));
    }
    return results;
  }
}
