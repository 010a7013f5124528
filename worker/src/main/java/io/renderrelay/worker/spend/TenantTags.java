package io.renderrelay.worker.spend;

import io.renderrelay.worker.metrics.MetricTag;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Bounds the tenant metric tag: tenants with a cap and {@code none} always have their own value,
 * then the first {@code extra} tenants seen; every other tenant is {@code other}.
 */
public final class TenantTags {

  private final Set<String> fixed;
  private final Set<String> seen = new LinkedHashSet<>();
  private final int extra;

  public TenantTags(Set<String> cappedTenants, int extra) {
    Set<String> f = new LinkedHashSet<>(cappedTenants);
    f.add(Pricing.NO_TENANT);
    this.fixed = Set.copyOf(f);
    this.extra = extra;
  }

  /** The tag value of {@code tenant}. */
  public synchronized String tag(String tenant) {
    if (fixed.contains(tenant) || seen.contains(tenant)) {
      return tenant;
    }
    if (seen.size() < extra && !MetricTag.OTHER.equals(tenant)) {
      seen.add(tenant);
      return tenant;
    }
    return MetricTag.OTHER;
  }
}
