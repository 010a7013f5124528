package io.renderrelay.worker.spend;

import io.renderrelay.worker.config.SpendSettings.Period;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** UTC days ({@code 2026-12-06}) and months ({@code 2026-12}): the periods caps are counted in. */
public final class Periods {

  private Periods() {}

  public static String day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }

  public static String month(Instant at) {
    return YearMonth.from(LocalDate.ofInstant(at, ZoneOffset.UTC)).toString();
  }

  /** The period containing {@code at}: its day or its month. */
  public static String of(Period period, Instant at) {
    return period == Period.DAY ? day(at) : month(at);
  }

  /** The first instant of the month before the one containing {@code at}. */
  static Instant startOfPreviousMonth(Instant at) {
    return YearMonth.from(LocalDate.ofInstant(at, ZoneOffset.UTC))
        .minusMonths(1)
        .atDay(1)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }
}
