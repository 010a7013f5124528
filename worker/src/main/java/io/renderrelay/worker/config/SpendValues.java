package io.renderrelay.worker.config;

import io.renderrelay.worker.config.SpendSettings.Cap;
import io.renderrelay.worker.config.SpendSettings.Period;
import io.renderrelay.worker.config.SpendSettings.Price;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parsers of the spend keys' values: amounts, caps, the price table. */
final class SpendValues {

  static final ValueType<List<Price>> PRICES = new ValueType<>("price table", SpendValues::prices);
  static final ValueType<Cap> CAP = new ValueType<>("cap", SpendValues::cap);
  static final ValueType<Map<String, Cap>> TENANT_CAPS =
      new ValueType<>("tenant caps", SpendValues::tenantCaps);

  private SpendValues() {}

  /** {@code AMOUNT/day} or {@code AMOUNT/month}. */
  static Cap cap(String s) {
    String[] parts = s.trim().split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("a cap is AMOUNT/day or AMOUNT/month (e.g. 50/day)");
    }
    Period period =
        switch (parts[1].trim().toLowerCase(Locale.ROOT)) {
          case "day" -> Period.DAY;
          case "month" -> Period.MONTH;
          default -> throw new IllegalArgumentException("a cap's period is day or month");
        };
    return new Cap(Money.parse(parts[0]), period);
  }

  /** {@code tenant=AMOUNT/period,...}. */
  static Map<String, Cap> tenantCaps(String s) {
    Map<String, Cap> caps = new LinkedHashMap<>();
    for (String item : list(s)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "tenant cap '" + item + "' is not tenant=AMOUNT/period (e.g. acme=10/day)");
      }
      String tenant = item.substring(0, eq).trim();
      if (caps.put(tenant, cap(item.substring(eq + 1))) != null) {
        throw new IllegalArgumentException("tenant '" + tenant + "' has two caps");
      }
    }
    return caps;
  }

  /**
   * {@code type[:model]=AMOUNT[/task|/s],...}, e.g. {@code restyle:gen4=0.25,act-one=0.05/s}; the
   * result is sorted so that an entry with a model comes before its type's catch-all.
   */
  static List<Price> prices(String s) {
    List<Price> out = new ArrayList<>();
    for (String item : list(s)) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "price '" + item + "' is not type[:model]=AMOUNT[/task|/s] (e.g. restyle=0.10)");
      }
      String[] target = item.substring(0, eq).trim().split(":", 2);
      String type = target[0].trim().toLowerCase(Locale.ROOT);
      if (!type.equals("restyle") && !type.equals("act-one")) {
        throw new IllegalArgumentException("price '" + item + "': type is restyle or act-one");
      }
      Optional<String> model =
          target.length == 2 ? Optional.of(target[1].trim()) : Optional.empty();
      String[] amount = item.substring(eq + 1).trim().split("/", 2);
      String unit = amount.length == 2 ? amount[1].trim().toLowerCase(Locale.ROOT) : "task";
      long micros = Money.parse(amount[0]);
      switch (unit) {
        case "task" -> out.add(new Price(type, model, micros, 0));
        case "s" -> out.add(new Price(type, model, 0, micros));
        default -> throw new IllegalArgumentException("price '" + item + "': unit is /task or /s");
      }
    }
    out.sort(Comparator.comparing((Price p) -> p.model().isEmpty()));
    return List.copyOf(out);
  }

  private static List<String> list(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }
}
