package io.renderrelay.worker.http;

/** One named health check; must be fast and must not throw (a throw counts as down). */
public interface HealthCheck {

  String name();

  HealthStatus check();

  /** A check from a name and a supplier. */
  static HealthCheck of(String name, java.util.function.Supplier<HealthStatus> check) {
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public HealthStatus check() {
        return check.get();
      }
    };
  }
}
