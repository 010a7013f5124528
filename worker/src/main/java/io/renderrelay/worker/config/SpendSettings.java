package io.renderrelay.worker.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spend tracking and the budget guard (issue 14): a price table, the tenant of a job, caps per UTC
 * day or month, what happens at a cap, and per-tenant in-flight limits.
 *
 * @param enabled journal every paid submit to {@code topic} and enforce the caps
 * @param topic the spend journal (one partition, read by every replica and the CLI)
 * @param currency currency of every amount here
 * @param prices the price table, most specific entry first
 * @param outputSeconds output length assumed for per-second prices
 * @param tenantKey the command metadata key naming the tenant
 * @param globalCap cap over all tenants, if any
 * @param tenantCaps caps per tenant
 * @param onExhausted what a submit over a cap does
 * @param tenantMaxInFlight most paid tasks in flight per tenant across the fleet (0: no limit)
 * @param tenantTags tenants with their own metric tag (more share the tag {@code other})
 * @param readBackTimeout how long a replica waits to read its own reservation back before it
 *     assumes the reservation's transaction aborted
 */
public record SpendSettings(
    boolean enabled,
    String topic,
    String currency,
    List<Price> prices,
    Duration outputSeconds,
    String tenantKey,
    Optional<Cap> globalCap,
    Map<String, Cap> tenantCaps,
    OnExhausted onExhausted,
    int tenantMaxInFlight,
    int tenantTags,
    Duration readBackTimeout) {

  public static final String DEFAULT_TOPIC = "render.spend";

  /** Spend tracking off: nothing journaled, nothing capped. */
  public static final SpendSettings OFF =
      new SpendSettings(
          false,
          DEFAULT_TOPIC,
          "USD",
          List.of(),
          Duration.ofSeconds(10),
          "tenant",
          Optional.empty(),
          Map.of(),
          OnExhausted.WAIT,
          0,
          20,
          Duration.ofSeconds(90));

  public SpendSettings {
    prices = List.copyOf(prices);
    tenantCaps = Map.copyOf(tenantCaps);
  }

  /** What a submit does when a cap is reached. */
  public enum OnExhausted {
    /** The command waits (unpaid, uncommitted) until the period rolls over or the cap is raised. */
    WAIT,
    /** The job fails with BUDGET_EXHAUSTED, unpaid (its command may be sent again later). */
    FAIL
  }

  /** The period of a cap, in UTC. */
  public enum Period {
    DAY,
    MONTH
  }

  /**
   * A cap.
   *
   * @param micros the amount in millionths of the currency
   */
  public record Cap(long micros, Period period) {}

  /**
   * One line of the price table.
   *
   * @param jobType {@code restyle} or {@code act-one}
   * @param model the model it applies to; empty: any
   * @param perTaskMicros price per task
   * @param perSecondMicros price per second of output
   */
  public record Price(
      String jobType, Optional<String> model, long perTaskMicros, long perSecondMicros) {}
}
