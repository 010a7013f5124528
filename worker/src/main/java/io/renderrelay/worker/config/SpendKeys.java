package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Keys of the spend accounting and the budget guard. {@link ConfigKeys#ALL} lists them with the
 * others, in docs order.
 */
final class SpendKeys {
  private SpendKeys() {}

  // ---- spend (issue 14)
  public static final ConfigKey<Boolean> SPEND_ENABLED =
      key("spend.enabled", ValueType.BOOLEAN)
          .group("spend")
          .defaultValue("false")
          .doc(
              "Journal every paid submit's estimated cost to spend.topic (in the transaction of"
                  + " its intent) and enforce the caps and in-flight limits below.")
          .build();

  public static final ConfigKey<String> SPEND_TOPIC =
      key("spend.topic", ValueType.STRING)
          .group("spend")
          .defaultValue(SpendSettings.DEFAULT_TOPIC)
          .validator(Validator.topicName())
          .doc(
              "The spend journal (written and read on partition 0 only: one order), read by every"
                  + " replica and by the CLI.")
          .build();
  public static final ConfigKey<String> SPEND_CURRENCY =
      key("spend.currency", ValueType.STRING)
          .group("spend")
          .defaultValue("USD")
          .validator(Validator.matches("[A-Z]{3}", "an ISO 4217 code, e.g. USD"))
          .doc("Currency of the prices and caps.")
          .build();
  public static final ConfigKey<List<SpendSettings.Price>> SPEND_PRICES =
      key("spend.prices", SpendValues.PRICES)
          .group("spend")
          .defaultValue("")
          .doc(
              "Price table, type[:model]=AMOUNT[/task|/s] comma-separated, e.g."
                  + " `restyle:gen4=0.25,restyle=0.20,act-one=0.05/s`; an entry with a model wins"
                  + " over its type's; a job type without a price costs 0. See docs/operations.md"
                  + " for example list prices (not the truth: check your contract).")
          .build();
  public static final ConfigKey<Duration> SPEND_OUTPUT_SECONDS =
      key("spend.assumed-output-length", ValueType.DURATION)
          .group("spend")
          .defaultValue("10s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc("Output length assumed for per-second prices (the length is unknown at submit).")
          .build();
  public static final ConfigKey<String> SPEND_TENANT_KEY =
      key("spend.tenant-key", ValueType.STRING)
          .group("spend")
          .defaultValue("tenant")
          .validator(Validator.matches("[A-Za-z0-9._-]{1,100}", "[A-Za-z0-9._-], 1..100 chars"))
          .doc(
              "Command metadata key that names a job's tenant; a job without it is booked to"
                  + " tenant `none`.")
          .build();
  public static final ConfigKey<SpendSettings.Cap> SPEND_GLOBAL_CAP =
      key("spend.global-cap", SpendValues.CAP)
          .group("spend")
          .doc("Cap over all tenants, AMOUNT/day or AMOUNT/month (UTC), e.g. `500/day`.")
          .build();
  public static final ConfigKey<Map<String, SpendSettings.Cap>> SPEND_TENANT_CAPS =
      key("spend.tenant-caps", SpendValues.TENANT_CAPS)
          .group("spend")
          .defaultValue("")
          .doc("Caps per tenant, tenant=AMOUNT/period comma-separated, e.g. `acme=50/day`.")
          .build();
  public static final ConfigKey<SpendSettings.OnExhausted> SPEND_ON_EXHAUSTED =
      key("spend.on-exhausted", ValueType.enumOf(SpendSettings.OnExhausted.class))
          .group("spend")
          .defaultValue("wait")
          .doc(
              "A submit over a cap: wait (the command waits unpaid until the period rolls over,"
                  + " the cap is raised or its deadline passes) or fail (RenderFailed"
                  + " BUDGET_EXHAUSTED, unpaid).")
          .build();
  public static final ConfigKey<Integer> SPEND_TENANT_MAX_IN_FLIGHT =
      key("spend.tenant-max-in-flight", ValueType.INT)
          .group("spend")
          .defaultValue("0")
          .validator(Validator.intRange(0, 1_000_000))
          .doc(
              "Most paid tasks of one tenant in flight across the fleet (0: no limit); a tenant"
                  + " at its limit waits, the others go on.")
          .build();
  public static final ConfigKey<Integer> SPEND_TENANT_TAGS =
      key("spend.tenant-tags", ValueType.INT)
          .group("spend")
          .defaultValue("20")
          .validator(Validator.intRange(0, 1000))
          .doc(
              "Tenants with their own metric tag: those with a cap, then the first ones seen up"
                  + " to this many; the rest share the tag `other`.")
          .build();
  public static final ConfigKey<Duration> SPEND_READ_BACK_TIMEOUT =
      key("spend.read-back-timeout", ValueType.DURATION)
          .group("spend")
          .defaultValue("90s")
          .validator(Validator.durationRange(Duration.ofSeconds(1), Duration.ofMinutes(10)))
          .doc(
              "A replica reserves again only after reading its last reservation back from the"
                  + " journal; past this it assumes that reservation's transaction aborted. Must be"
                  + " above the producers' transaction timeout (60 s, or"
                  + " kafka.client.transaction.timeout.ms; checked at start): the fleet-wide bound"
                  + " assumes an unread reservation was aborted, not merely late.")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          SPEND_ENABLED,
          SPEND_TOPIC,
          SPEND_CURRENCY,
          SPEND_PRICES,
          SPEND_OUTPUT_SECONDS,
          SPEND_TENANT_KEY,
          SPEND_GLOBAL_CAP,
          SPEND_TENANT_CAPS,
          SPEND_ON_EXHAUSTED,
          SPEND_TENANT_MAX_IN_FLIGHT,
          SPEND_TENANT_TAGS,
          SPEND_READ_BACK_TIMEOUT);
}
