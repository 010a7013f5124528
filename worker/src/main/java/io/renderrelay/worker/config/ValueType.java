package io.renderrelay.worker.config;

import io.renderrelay.worker.config.WorkerConfig.PollTier;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The type of a config value: a name for the docs and a parser. Parsers throw {@link
 * IllegalArgumentException} with a message that never repeats the raw value (it may be a secret).
 *
 * @param <T> the parsed Java type
 */
record ValueType<T>(String name, Function<String, T> parser) {

  public static final ValueType<String> STRING = new ValueType<>("string", String::trim);
  public static final ValueType<Integer> INT = new ValueType<>("int", ValueType::parseInt);
  public static final ValueType<Long> LONG = new ValueType<>("long", ValueType::parseLong);
  public static final ValueType<Double> DOUBLE = new ValueType<>("double", ValueType::parseDouble);
  public static final ValueType<Boolean> BOOLEAN =
      new ValueType<>("boolean", ValueType::parseBoolean);
  public static final ValueType<Duration> DURATION = new ValueType<>("duration", Durations::parse);
  public static final ValueType<Long> SIZE = new ValueType<>("size", Sizes::parse);
  public static final ValueType<URI> URL = new ValueType<>("url", ValueType::parseUrl);
  public static final ValueType<List<String>> LIST = new ValueType<>("list", ValueType::parseList);
  public static final ValueType<Set<String>> SET =
      new ValueType<>("set", s -> new LinkedHashSet<>(parseList(s)));
  public static final ValueType<Secret> SECRET = new ValueType<>("secret", Secret::new);
  public static final ValueType<List<PollTier>> POLL_TIERS =
      new ValueType<>("poll tiers", ValueType::parseTiers);

  /** Parses the value with this type's parser. */
  public T parse(String raw) {
    return parser.apply(raw);
  }

  /** A case-insensitive enum type. */
  public static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining("|"));
    return new ValueType<>(
        "enum(" + allowed + ")",
        s -> {
          for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.trim().replace('-', '_'))) {
              return e;
            }
          }
          throw new IllegalArgumentException("must be one of " + allowed);
        });
  }

  private static int parseInt(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an integer");
    }
  }

  private static double parseDouble(String s) {
    try {
      double d = Double.parseDouble(s.trim());
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("not a finite number");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number");
    }
  }

  private static boolean parseBoolean(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static URI parseUrl(String s) {
    try {
      URI uri = new URI(s.trim());
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException("not an absolute URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URL");
    }
  }

  private static List<String> parseList(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      String item = part.trim();
      if (!item.isEmpty()) {
        out.add(item);
      }
    }
    return List.copyOf(out);
  }

  /** {@code topic:delay:attempts,...}, e.g. {@code render.poll.10s:10s:6}. */
  private static List<PollTier> parseTiers(String s) {
    List<PollTier> tiers = new ArrayList<>();
    for (String item : parseList(s)) {
      String[] parts = item.split(":");
      if (parts.length != 3 || parts[0].isBlank()) {
        throw new IllegalArgumentException(
            "tier '" + item + "' is not topic:delay:attempts (e.g. render.poll.10s:10s:6)");
      }
      Duration delay;
      try {
        delay = Durations.parse(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("tier '" + item + "': delay " + e.getMessage());
      }
      int attempts;
      try {
        attempts = Integer.parseInt(parts[2].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("tier '" + item + "': attempts is not an integer");
      }
      tiers.add(new PollTier(parts[0].trim(), delay, attempts));
    }
    if (tiers.isEmpty()) {
      throw new IllegalArgumentException("at least one poll tier is needed");
    }
    return List.copyOf(tiers);
  }
}
