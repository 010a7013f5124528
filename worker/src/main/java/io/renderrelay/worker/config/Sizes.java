package io.renderrelay.worker.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats byte sizes: {@code 1024}, {@code 512B}, {@code 64KB} (10^3), {@code 5MiB}
 * (2^20), {@code 2GiB}. Binary (KiB, MiB, GiB, TiB) and decimal (KB, MB, GB, TB) units both work.
 */
public final class Sizes {
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kmgt]i?b|b)?");

  private Sizes() {}

  /**
   * Parses a size in bytes.
   *
   * @throws IllegalArgumentException with a message that does not repeat the input
   */
  public static long parse(String raw) {
    Matcher m = SIZE.matcher(raw.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "not a size (use bytes or a unit: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, e.g. 5MiB)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    long factor =
        switch (unit) {
          case "b" -> 1L;
          case "kb" -> 1000L;
          case "mb" -> 1000L * 1000;
          case "gb" -> 1000L * 1000 * 1000;
          case "tb" -> 1000L * 1000 * 1000 * 1000;
          case "kib" -> 1L << 10;
          case "mib" -> 1L << 20;
          case "gib" -> 1L << 30;
          default -> 1L << 40;
        };
    try {
      return Math.multiplyExact(amount, factor);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("size too large");
    }
  }

  /** The shortest exact binary form: 5MiB, 64KiB, 1000B. */
  public static String format(long bytes) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return bytes + "B";
  }
}
