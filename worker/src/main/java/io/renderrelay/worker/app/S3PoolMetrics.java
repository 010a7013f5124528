package io.renderrelay.worker.app;

import io.renderrelay.worker.metrics.Metrics;
import java.util.Map;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollection;
import software.amazon.awssdk.metrics.MetricPublisher;
import software.amazon.awssdk.metrics.SdkMetric;

/**
 * Publishes the S3 client's connection pool (the AWS SDK reports it with every request's metrics:
 * max, available, leased connections and pending acquires) as the catalogue's pool gauges.
 */
final class S3PoolMetrics implements MetricPublisher {

  private static final Map<SdkMetric<Integer>, String> STATES =
      Map.of(
          HttpMetric.MAX_CONCURRENCY, "max",
          HttpMetric.AVAILABLE_CONCURRENCY, "available",
          HttpMetric.LEASED_CONCURRENCY, "leased",
          HttpMetric.PENDING_CONCURRENCY_ACQUIRES, "pending");

  private final Metrics metrics;

  S3PoolMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void publish(MetricCollection collection) {
    STATES.forEach(
        (metric, state) -> {
          Integer value = last(collection, metric);
          if (value != null) {
            metrics.httpClientPool("s3", state, value);
          }
        });
  }

  /** The value of the last attempt that reported {@code metric}, searching the whole tree. */
  private static Integer last(MetricCollection collection, SdkMetric<Integer> metric) {
    Integer found = null;
    for (Integer v : collection.metricValues(metric)) {
      found = v;
    }
    for (MetricCollection child : collection.children()) {
      Integer v = last(child, metric);
      if (v != null) {
        found = v;
      }
    }
    return found;
  }

  @Override
  public void close() {
    // nothing held
  }
}
