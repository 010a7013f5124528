package io.renderrelay.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.JobType;
import io.renderrelay.worker.metrics.Metrics.UnknownTagPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final List<String> TIERS =
      List.of("render.poll.10s", "render.poll.30s", "render.poll.120s", "render.poll.now");
  private static final Pattern NAME = Pattern.compile("render_relay_[a-z][a-z0-9_]*[a-z0-9]");

  private final Metrics strict = Metrics.create(TIERS, UnknownTagPolicy.REJECT);

  @Test
  void catalogueNamesAreValidPrometheusNamesWithUnitSuffixes() {
    assertThat(Arrays.stream(MetricsCatalogue.values()).map(MetricsCatalogue::prometheusName))
        .doesNotHaveDuplicates()
        .allMatch(n -> NAME.matcher(n).matches(), "matches " + NAME);
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      assertThat(m.description()).as(m.name()).isNotBlank();
      switch (m.type()) {
        case COUNTER -> assertThat(m.prometheusName()).endsWith("_total");
        case TIMER -> assertThat(m.prometheusName()).endsWith("_seconds");
        default -> assertThat(m.prometheusName()).doesNotEndWith("_total");
      }
    }
    for (MetricTag t : MetricTag.values()) {
      assertThat(t.key()).matches("[a-z_]+");
      assertThat(t.configured() || !t.fixedValues().isEmpty()).as(t.name()).isTrue();
      assertThat(t.fixedValues()).allMatch(v -> v.matches("[a-z0-9_]+")).doesNotContain("other");
    }
  }

  @Test
  void everyCatalogueMetricIsInTheScrape() {
    String text = strict.scrape();
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      if (m.boundByBinder()) {
        continue; // RocksDbStatsBinderTest
      }
      String family =
          switch (m.type()) {
            case TIMER, DISTRIBUTION_SUMMARY -> m.prometheusName() + "_count";
            default -> m.prometheusName();
          };
      assertThat(text).as(m.name()).containsPattern("(?m)^" + Pattern.quote(family) + "[{ ]");
      assertThat(text).contains("# HELP " + m.prometheusName());
    }
  }

  @Test
  void recordedValuesShowUpWithTheirTags() {
    strict.jobTransition(JobType.RESTYLE, "submit", "ok");
    strict.jobTransition(JobType.RESTYLE, "submit", "ok");
    strict.providerCall("feed", "retryable", Duration.ofMillis(250));
    strict.pollLateness("render.poll.30s", Duration.ofSeconds(3));
    strict.pollLateness("render.poll.30s", Duration.ofSeconds(-1));
    strict.jobsInFlight("render.poll.10s", 17);
    strict.outputCopied(JobType.ACT_ONE, "video", 4_000_000, Duration.ofSeconds(2));
    strict.deadLettered(io.renderrelay.worker.dlt.DeadLetterReason.INVALID_COMMAND);
    strict.submissionGate("paused_no_credit");
    strict.callback("forbidden");
    strict.transactionCommitted();

    String text = strict.scrape();
    assertThat(text)
        .contains(
            "render_relay_jobs_total{job_type=\"restyle\",outcome=\"ok\",stage=\"submit\"} 2.0")
        .contains(
            "render_relay_provider_request_seconds_count{class=\"retryable\",endpoint=\"feed\"} 1")
        .contains("render_relay_poll_lateness_seconds_count{tier=\"render.poll.30s\"} 2")
        .contains("render_relay_poll_lateness_seconds_sum{tier=\"render.poll.30s\"} 3.0")
        .contains("render_relay_jobs_in_flight{tier=\"render.poll.10s\"} 17.0")
        .contains(
            "render_relay_copy_bytes_total{artifact=\"video\",job_type=\"act_one\"} 4000000.0")
        .contains("render_relay_copy_throughput_bytes_per_second_sum{artifact=\"video\"} 2000000.0")
        .contains("render_relay_dead_letters_total{reason=\"invalid_command\"} 1.0")
        .contains("render_relay_submission_gate_state{state=\"paused_no_credit\"} 1.0")
        .contains("render_relay_submission_gate_state{state=\"open\"} 0.0")
        .contains("render_relay_callbacks_total{result=\"forbidden\"} 1.0")
        .contains("render_relay_transactions_total{result=\"committed\"} 1.0");
  }

  @Test
  void tagValuesOutsideTheCatalogueAreRefused() {
    assertThatThrownBy(() -> strict.jobTransition(JobType.RESTYLE, "upload", "ok"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stage='upload'");
    assertThatThrownBy(() -> strict.pollLateness("render.poll.5s", Duration.ZERO))
        .hasMessageContaining("tier='render.poll.5s'");
    assertThatThrownBy(() -> strict.jobTransition(JobType.UNKNOWN, "submit", "ok"))
        .hasMessageContaining("job_type='unknown'");
    assertThatThrownBy(() -> strict.callback("task-123"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> strict.error("provider", null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latenciesArePublishedAsHistogramsWithTheirSloBuckets() {
    strict.providerCall("feed", "ok", Duration.ofMillis(200));
    strict.jobEnded(JobType.RESTYLE, "completed", Duration.ofSeconds(100), Duration.ofSeconds(130));
    strict.providerRender(JobType.ACT_ONE, Duration.ofSeconds(200));
    strict.outputCopied(JobType.RESTYLE, "video", 30_000_000, Duration.ofSeconds(3));
    strict.pollLateness("render.poll.30s", Duration.ofSeconds(7));
    String text = strict.scrape();
    assertThat(text)
        .contains(
            "render_relay_provider_request_seconds_bucket{class=\"ok\",endpoint=\"feed\",le=\"0.1\"} 0")
        .contains(
            "render_relay_provider_request_seconds_bucket{class=\"ok\",endpoint=\"feed\",le=\"0.25\"} 1")
        .contains(
            "render_relay_job_duration_seconds_bucket{job_type=\"restyle\",terminal=\"completed\",le=\"120.0\"} 1")
        .contains(
            "render_relay_end_to_end_seconds_bucket{job_type=\"restyle\",terminal=\"completed\",le=\"120.0\"} 0")
        .contains(
            "render_relay_provider_render_seconds_bucket{job_type=\"act_one\",le=\"240.0\"} 1")
        .contains("render_relay_copy_seconds_bucket{artifact=\"video\",le=\"5.0\"} 1")
        .contains(
            "render_relay_poll_lateness_seconds_bucket{tier=\"render.poll.30s\",le=\"10.0\"} 1")
        .contains(
            "render_relay_copy_throughput_bytes_per_second_bucket{artifact=\"video\",le=\"1.0E7\"} 1");
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      long buckets =
          text.lines().filter(l -> l.startsWith(m.prometheusName() + "_bucket{")).count();
      int series =
          m.type() == MetricType.TIMER ? SloBuckets.timer(m).size() : SloBuckets.summary(m).size();
      assertThat(buckets == 0 || series > 0).as("%s has buckets only when it has SLOs", m).isTrue();
    }
  }

  @Test
  void productionModeMapsUnknownValuesToOther() {
    Metrics lenient = Metrics.create(TIERS, UnknownTagPolicy.MAP_TO_OTHER);
    lenient.jobTransition(JobType.RESTYLE, "upload", "ok");
    lenient.callback("job-abc-123");
    lenient.callback("job-def-456");
    String text = lenient.scrape();
    assertThat(text)
        .contains(
            "render_relay_jobs_total{job_type=\"restyle\",outcome=\"ok\",stage=\"other\"} 1.0")
        .contains("render_relay_callbacks_total{result=\"other\"} 2.0")
        .doesNotContain("job-abc-123", "upload");
  }
}
