package io.renderrelay.worker.config;

import java.math.BigDecimal;

/** Amounts of money as whole millionths of the configured currency: exact, no floating point. */
public final class Money {

  private Money() {}

  /**
   * Parses a non-negative decimal amount with at most 6 decimals into millionths.
   *
   * @throws IllegalArgumentException with a message that does not repeat the value
   */
  public static long parse(String s) {
    try {
      BigDecimal d = new BigDecimal(s.trim());
      if (d.signum() < 0) {
        throw new IllegalArgumentException("amount must not be negative");
      }
      return d.movePointRight(6).longValueExact();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("amount is not a decimal number (e.g. 0.10)");
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("amount has more than 6 decimals or is too large");
    }
  }

  /** Millionths as a decimal with at least two decimals: 100000 -> 0.10, 1234567 -> 1.234567. */
  public static String format(long micros) {
    BigDecimal d = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return d.scale() < 2 ? d.setScale(2).toPlainString() : d.toPlainString();
  }
}
