package io.renderrelay.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsCatalogueTest {

  /**
   * The spend and budget families are the ones a worker without spend.enabled lacks: the attribute
   * docs/metrics.md and the scrape tests read must cover exactly them.
   */
  @Test
  void exactlyTheSpendAndBudgetFamiliesNeedSpend() {
    for (MetricsCatalogue m : MetricsCatalogue.values()) {
      boolean spendFamily =
          m.prometheusName().startsWith("render_relay_spend_")
              || m.prometheusName().startsWith("render_relay_budget_");
      assertThat(m.needsSpend()).as(m.prometheusName()).isEqualTo(spendFamily);
      if (m.needsSpend()) {
        assertThat(m.boundByBinder()).as(m.prometheusName()).isTrue();
      }
    }
  }
}
