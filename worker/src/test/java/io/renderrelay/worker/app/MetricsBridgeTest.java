package io.renderrelay.worker.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.config.WorkerConfig.Topics;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.provider.OutcomeClass;
import io.renderrelay.worker.provider.ProviderEndpoint;
import io.renderrelay.worker.storage.CopyMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bridge feeds catalogue metrics with catalogue tag values only (a strict registry). */
class MetricsBridgeTest {

  private static final String TIER_1 = "render.poll.10s";
  private static final String TIER_2 = "render.poll.60s";

  private final Metrics metrics =
      Metrics.create(List.of(TIER_1, TIER_2, "render.poll.now"), Metrics.UnknownTagPolicy.REJECT);
  private final MetricsBridge bridge = new MetricsBridge(metrics, AmbiguousPolicy.FAIL);
  private final ConsumerLag lag =
      new ConsumerLag(
          metrics,
          new Topics(
              "render.commands.restyle",
              "render.commands.act-one",
              "render.events",
              "render.dlt",
              "render.jobs",
              "render.poll.now"));

  @Test
  void everyDeadLetterReasonIsItsOwnTagValue() {
    for (DeadLetterReason r : DeadLetterReason.values()) {
      bridge.deadLetter(r);
    }
    bridge.deadLetter(DeadLetterReason.UNDECODABLE);
    String text = metrics.scrape();
    assertThat(text)
        .contains("render_relay_dead_letters_total{reason=\"undecodable\"} 2.0")
        .contains("render_relay_dead_letters_total{reason=\"ambiguous_submit\"} 1.0")
        .contains("render_relay_dead_letters_total{reason=\"undecodable_ticket\"} 1.0")
        .doesNotContain("reason=\"other\"");
  }

  @Test
  void providerErrorsAreCountedByClassAndTaskNotFoundIsNotFound() {
    bridge.onRequest(ProviderEndpoint.FEED, OutcomeClass.TASK_NOT_FOUND, Duration.ofMillis(5));
    bridge.onRequest(ProviderEndpoint.FEED, OutcomeClass.RETRYABLE, Duration.ofMillis(5));
    bridge.onRequest(ProviderEndpoint.FEED, OutcomeClass.OK, Duration.ofMillis(5));
    bridge.onRequest(ProviderEndpoint.RESTYLE, OutcomeClass.OK, Duration.ofMillis(5));
    bridge.onRequest(ProviderEndpoint.ACT_ONE, OutcomeClass.AMBIGUOUS, Duration.ofMillis(5));
    String text = metrics.scrape();
    assertThat(text)
        .contains(
            "render_relay_provider_request_seconds_count{class=\"ok\",endpoint=\"submit_restyle\"}"
                + " 1")
        .contains(
            "render_relay_provider_request_seconds_count{class=\"ambiguous\",endpoint=\"submit_act_one\"}"
                + " 1")
        .contains(
            "render_relay_provider_request_seconds_count{class=\"not_found\",endpoint=\"feed\"} 1")
        .contains("render_relay_errors_total{class=\"not_found\",component=\"provider\"} 1.0")
        .contains("render_relay_errors_total{class=\"retryable\",component=\"provider\"} 1.0")
        .contains("render_relay_errors_total{class=\"ok\",component=\"provider\"} 0.0");
  }

  @Test
  void copyAndRegistryFailuresAreErrors() {
    bridge.copyFinished(CopyMetrics.Outcome.RETRYABLE, 10, Duration.ofMillis(1));
    bridge.copyFinished(CopyMetrics.Outcome.EXPIRED, 0, Duration.ofMillis(1));
    bridge.copyFinished(CopyMetrics.Outcome.UPLOADED, 10, Duration.ofMillis(1));
    bridge.registryUnavailable();
    String text = metrics.scrape();
    assertThat(text)
        .contains("render_relay_errors_total{class=\"retryable\",component=\"storage\"} 1.0")
        .contains("render_relay_errors_total{class=\"not_found\",component=\"storage\"} 1.0")
        .contains("render_relay_errors_total{class=\"ok\",component=\"storage\"} 0.0")
        .contains("render_relay_errors_total{class=\"retryable\",component=\"registry\"} 1.0");
  }

  @Test
  void pollTierLagIsSummedOverTiersAndInFlightIsPerTier() {
    lag.lag(TIER_1, 7);
    lag.lag(TIER_2, 5);
    lag.lag(TIER_1, 3);
    lag.lag("render.commands.restyle", 4);
    String text = metrics.scrape();
    assertThat(text)
        .contains("render_relay_consumer_lag_records{input=\"poll_tiers\"} 8.0")
        .contains("render_relay_consumer_lag_records{input=\"restyle_commands\"} 4.0")
        .contains("render_relay_jobs_in_flight{tier=\"" + TIER_1 + "\"} 3.0")
        .contains("render_relay_jobs_in_flight{tier=\"" + TIER_2 + "\"} 5.0");
  }
}
