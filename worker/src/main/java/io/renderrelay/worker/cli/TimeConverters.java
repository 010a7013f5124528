package io.renderrelay.worker.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;

/** Picocli converters for times; built by the CLI's factory, which hands them the clock. */
final class TimeConverters {

  private TimeConverters() {}

  /** A time in the past: ISO-8601, a date, epoch millis, or "2h" for two hours ago. */
  static final class Past implements ITypeConverter<Instant> {
    private final CliContext ctx;

    Past(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Instant convert(String value) {
      try {
        return TimeSpec.past(value, ctx.clock());
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A time in the future: ISO-8601, a date, epoch millis, or "2h" for in two hours. */
  static final class Future implements ITypeConverter<Instant> {
    private final CliContext ctx;

    Future(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Instant convert(String value) {
      try {
        return TimeSpec.future(value, ctx.clock());
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** A duration: 30s, 5m, 2h, 1d, 1h30m or ISO-8601. */
  static final class Span implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return TimeSpec.duration(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
