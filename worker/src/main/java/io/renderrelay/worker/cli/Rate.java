package io.renderrelay.worker.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * A rate such as {@code 20/s}, {@code 300/m}, {@code 1000/h} or a bare {@code 20} (per second).
 *
 * @param perSecond the rate in permits per second
 */
public record Rate(double perSecond) {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(?:/(s|m|h))?");

  public Rate {
    if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("a rate must be above 0");
    }
  }

  public static Rate parse(String text) {
    Matcher m = FORM.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a rate (use e.g. 20/s, 300/m, 1000/h or 20)");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double perSecond =
        switch (unit) {
          case "m" -> n / 60;
          case "h" -> n / 3600;
          default -> n;
        };
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("'" + text + "': a rate must be above 0");
    }
    return new Rate(perSecond);
  }

  /** Picocli converter. */
  public static final class Converter implements ITypeConverter<Rate> {
    @Override
    public Rate convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
