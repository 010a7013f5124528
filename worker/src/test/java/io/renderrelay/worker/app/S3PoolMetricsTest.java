package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.metrics.Metrics;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.HttpMetric;
import software.amazon.awssdk.metrics.MetricCollector;

/** The pool state the AWS SDK reports with a request becomes the pool gauges. */
class S3PoolMetricsTest {

  @Test
  void thePoolStateOfTheLastAttemptIsPublished() {
    Metrics metrics = Metrics.create(List.of("render.poll.10s"), Metrics.UnknownTagPolicy.REJECT);
    MetricCollector call = MetricCollector.create("ApiCall");
    for (int leased : new int[] {1, 4}) {
      MetricCollector http = call.createChild("ApiCallAttempt").createChild("HttpClient");
      http.reportMetric(HttpMetric.MAX_CONCURRENCY, 50);
      http.reportMetric(HttpMetric.AVAILABLE_CONCURRENCY, 50 - leased);
      http.reportMetric(HttpMetric.LEASED_CONCURRENCY, leased);
      http.reportMetric(HttpMetric.PENDING_CONCURRENCY_ACQUIRES, 0);
    }
    new S3PoolMetrics(metrics).publish(call.collect());
    assertThat(metrics.scrape())
        .contains("render_relay_http_client_pool_connections{pool=\"s3\",state=\"max\"} 50.0")
        .contains("render_relay_http_client_pool_connections{pool=\"s3\",state=\"leased\"} 4.0")
        .contains("render_relay_http_client_pool_connections{pool=\"s3\",state=\"available\"} 46.0")
        .contains("render_relay_http_client_pool_connections{pool=\"s3\",state=\"pending\"} 0.0");
  }
}
