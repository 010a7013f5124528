package io.renderrelay.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.Context;
import org.junit.jupiter.api.Test;

/**
 * The callback context cache stays within its heap budget whatever baggage callers send: 20,000
 * contexts parsed from the W3C maximum of baggage held 363 MB of heap when only their count was
 * bounded (measured in review of issue 17), more than the default heap of the Helm chart's 1 GiB
 * pod.
 */
class RecentJobContextsTest {

  static final long BUDGET = TracedRouter.RECENT_JOBS_HEAP_BYTES;

  @Test
  void contextsWithoutBaggageAreBoundedByCount() {
    RecentJobContexts recent = new RecentJobContexts(TracedRouter.RECENT_JOBS, BUDGET);
    for (int i = 0; i < TracedRouter.RECENT_JOBS + 5; i++) {
      recent.put("job-" + i, Context.root(), 55);
    }
    assertThat(recent.size()).isEqualTo(TracedRouter.RECENT_JOBS);
    assertThat(recent.getOrDefault("job-4", null)).as("the eldest left").isNull();
    assertThat(recent.getOrDefault("job-5", null)).isSameAs(Context.root());
  }

  @Test
  void contextsWithMaximalBaggageAreBoundedByTheirWeight() {
    RecentJobContexts recent = new RecentJobContexts(TracedRouter.RECENT_JOBS, BUDGET);
    for (int i = 0; i < TracedRouter.RECENT_JOBS; i++) {
      recent.put("job-" + i, Context.root(), 55 + 512 + 8192);
    }
    assertThat(recent.weight()).isLessThanOrEqualTo(BUDGET);
    assertThat(recent.size()).isBetween(1_000, TracedRouter.RECENT_JOBS - 1);
    assertThat(recent.getOrDefault("job-" + (TracedRouter.RECENT_JOBS - 1), null))
        .as("the newest stays")
        .isNotNull();
  }

  @Test
  void oneOversizedHeaderDoesNotEmptyTheCache() {
    RecentJobContexts recent = new RecentJobContexts(TracedRouter.RECENT_JOBS, BUDGET);
    for (int i = 0; i < 100; i++) {
      recent.put("job-" + i, Context.root(), 55);
    }
    recent.put("huge", Context.root(), 900_000);
    assertThat(recent.size()).isEqualTo(101);
    recent.put("job-0", Context.root(), 55);
    assertThat(recent.size()).as("a re-seen job replaces its entry").isEqualTo(101);
  }
}
