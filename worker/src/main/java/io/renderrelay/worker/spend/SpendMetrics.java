package io.renderrelay.worker.spend;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.metrics.MetricTag;
import io.renderrelay.worker.metrics.MetricsCatalogue;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The spend and budget metrics, with the tenant tag bounded by {@link TenantTags}. */
public final class SpendMetrics implements SpendListener {

  private static final double MICROS = 1_000_000.0;

  private final MeterRegistry registry;
  private final TenantTags tenants;

  public SpendMetrics(MeterRegistry registry, TenantTags tenants) {
    this.registry = registry;
    this.tenants = tenants;
  }

  /** Registers the gauges of a guard: held jobs, and the used share of each configured cap. */
  public void bind(SpendGuard guard, boolean globalCap, Set<String> cappedTenants) {
    Gauge.builder(MetricsCatalogue.BUDGET_HELD_JOBS.meterName(), guard, SpendGuard::heldJobs)
        .description(MetricsCatalogue.BUDGET_HELD_JOBS.description())
        .register(registry);
    if (globalCap) {
      ratio(guard, "global", Optional.empty());
    }
    cappedTenants.forEach(t -> ratio(guard, t, Optional.of(t)));
  }

  @Override
  public void spent(String tenant, JobType type, long micros) {
    counter(MetricsCatalogue.SPEND, tenant, type).increment(micros / MICROS);
  }

  @Override
  public void refunded(String tenant, JobType type, long micros) {
    counter(MetricsCatalogue.SPEND_REFUNDED, tenant, type).increment(micros / MICROS);
  }

  @Override
  public void held(String tenant, SpendGuard.HoldReason reason) {
    Counter.builder(MetricsCatalogue.BUDGET_HOLDS.meterName())
        .description(MetricsCatalogue.BUDGET_HOLDS.description())
        .tag(MetricTag.TENANT.key(), tenants.tag(tenant))
        .tag(MetricTag.HOLD_REASON.key(), reason.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  private void ratio(SpendGuard guard, String scope, Optional<String> tenant) {
    Gauge.builder(MetricsCatalogue.BUDGET_USED.meterName(), guard, g -> g.usedRatio(tenant))
        .description(MetricsCatalogue.BUDGET_USED.description())
        .tag(MetricTag.SCOPE.key(), scope)
        .register(registry);
  }

  private Counter counter(MetricsCatalogue m, String tenant, JobType type) {
    return Counter.builder(m.meterName())
        .description(m.description())
        .tag(MetricTag.TENANT.key(), tenants.tag(tenant))
        .tag(MetricTag.JOB_TYPE.key(), type.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }
}
