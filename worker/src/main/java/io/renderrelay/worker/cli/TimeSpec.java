package io.renderrelay.worker.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the times operators type: ISO-8601 instants ({@code 2026-11-25T10:00:00Z}), offset or UTC
 * local date-times ({@code 2026-11-25T10:00}), dates ({@code 2026-11-25}, midnight UTC), epoch
 * milliseconds, and durations relative to now ({@code 90s}, {@code 15m}, {@code 2h}, {@code 1d},
 * {@code 1h30m}, {@code PT2H}).
 */
final class TimeSpec {

  private static final Pattern RELATIVE =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  private TimeSpec() {}

  /** A point in time; a relative duration counts back from now ("2h" = two hours ago). */
  public static Instant past(String text, Clock clock) {
    Duration d = tryDuration(text);
    return d != null ? clock.instant().minus(d) : absolute(text);
  }

  /** A point in time; a relative duration counts forward from now ("2h" = in two hours). */
  public static Instant future(String text, Clock clock) {
    Duration d = tryDuration(text);
    return d != null ? clock.instant().plus(d) : absolute(text);
  }

  /** A duration: {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, {@code 1h30m} or ISO-8601. */
  public static Duration duration(String text) {
    Duration d = tryDuration(text);
    if (d == null) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (use e.g. 30s, 5m, 2h, 1d, 1h30m or PT2H)");
    }
    return d;
  }

  private static Duration tryDuration(String raw) {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    if (text.startsWith("pt") || text.startsWith("p")) {
      try {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    Matcher m = RELATIVE.matcher(text);
    if (text.isEmpty() || !m.matches()) {
      return null;
    }
    return Duration.ofDays(num(m.group(1)))
        .plusHours(num(m.group(2)))
        .plusMinutes(num(m.group(3)))
        .plusSeconds(num(m.group(4)));
  }

  private static long num(String g) {
    return g == null ? 0 : Long.parseLong(g);
  }

  private static Instant absolute(String raw) {
    String text = raw.trim();
    if (text.matches("\\d{10,}")) {
      return Instant.ofEpochMilli(Long.parseLong(text));
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try the next form
    }
    try {
      return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + raw
              + "' is not a time (use ISO-8601 like 2026-11-25T10:00:00Z, a date, epoch millis,"
              + " or a relative duration like 2h or 30m)");
    }
  }
}
