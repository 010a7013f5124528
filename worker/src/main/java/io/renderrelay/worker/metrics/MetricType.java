package io.renderrelay.worker.metrics;

/** The Micrometer meter kinds the catalogue uses. */
public enum MetricType {
  COUNTER,
  TIMER,
  GAUGE,
  DISTRIBUTION_SUMMARY;

  /** Lower-case name for the docs. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }
}
