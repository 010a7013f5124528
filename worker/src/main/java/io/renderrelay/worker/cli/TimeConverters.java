package io.renderrelay.worker.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import java.util.function.Function;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Picocli converters for times; built by the CLI's factory, which hands them the clock. */
final class TimeConverters {

  private TimeConverters() {}

  /** A time in the past: ISO-8601, a date, epoch millis, or "2h" for two hours ago. */
  static final class Past extends Moment {
    Past(CliContext ctx) {
      super(ctx, TimeSpec::past);
    }
  }

  /** A time in the future: ISO-8601, a date, epoch millis, or "2h" for in two hours. */
  static final class Future extends Moment {
    Future(CliContext ctx) {
      super(ctx, TimeSpec::future);
    }
  }

  /** A duration: 30s, 5m, 2h, 1d, 1h30m or ISO-8601. */
  static final class Span implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return parse(value, TimeSpec::duration);
    }
  }

  /** An instant read against the CLI's clock (a relative form counts from now). */
  private abstract static class Moment implements ITypeConverter<Instant> {
    private final CliContext ctx;
    private final BiFunction<String, Clock, Instant> spec;

    Moment(CliContext ctx, BiFunction<String, Clock, Instant> spec) {
      this.ctx = ctx;
      this.spec = spec;
    }

    @Override
    public Instant convert(String value) {
      return parse(value, v -> spec.apply(v, ctx.clock()));
    }
  }

  /** {@code value} parsed, a refusal turned into picocli's conversion error (shown with usage). */
  private static <T> T parse(String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
