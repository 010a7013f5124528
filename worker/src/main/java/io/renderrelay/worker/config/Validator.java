package io.renderrelay.worker.config;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks one parsed config value; answers the problem, or empty when the value is fine. Messages
 * never repeat the value.
 *
 * @param <T> the value type
 */
@FunctionalInterface
interface Validator<T> {

  Optional<String> check(T value);

  /** Accepts everything. */
  static <T> Validator<T> any() {
    return v -> Optional.empty();
  }

  /** An integer in [min, max]. */
  static Validator<Integer> intRange(int min, int max) {
    return v ->
        v < min || v > max
            ? Optional.of("must be between " + min + " and " + max)
            : Optional.empty();
  }

  /** A number in [min, max]. */
  static Validator<Double> doubleRange(double min, double max) {
    return v ->
        v < min || v > max
            ? Optional.of("must be between " + min + " and " + max)
            : Optional.empty();
  }

  /** A size in [min, max] bytes. */
  static Validator<Long> sizeRange(long min, long max) {
    return v ->
        v < min || v > max
            ? Optional.of("must be between " + Sizes.format(min) + " and " + Sizes.format(max))
            : Optional.empty();
  }

  /** A duration in [min, max]. */
  static Validator<Duration> durationRange(Duration min, Duration max) {
    return v ->
        v.compareTo(min) < 0 || v.compareTo(max) > 0
            ? Optional.of(
                "must be between " + Durations.format(min) + " and " + Durations.format(max))
            : Optional.empty();
  }

  /** An http or https URL. */
  static Validator<URI> httpUrl() {
    return v -> {
      String scheme = v.getScheme() == null ? "" : v.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return Optional.of("must be an http or https URL");
      }
      if (v.getRawQuery() != null || v.getRawFragment() != null) {
        return Optional.of("must not have a query or fragment");
      }
      return Optional.empty();
    };
  }

  /**
   * The public URL of the worker's {@code /callbacks} path: an http(s) URL whose path ends with
   * exactly one {@code /callbacks} segment, to which {@code /{jobId}/{token}} is appended.
   */
  static Validator<URI> callbackBaseUrl() {
    Validator<URI> url = httpUrl();
    return v -> {
      Optional<String> problem = url.check(v);
      if (problem.isPresent()) {
        return problem;
      }
      String path = v.getPath() == null ? "" : v.getPath().replaceAll("/+$", "");
      if (path.endsWith("/callbacks/callbacks")) {
        return Optional.of(
            "names /callbacks twice; give the URL of the callbacks path once, e.g."
                + " https://relay.example.com/callbacks");
      }
      if (!path.endsWith("/callbacks")) {
        return Optional.of(
            "must end with the callbacks path (/callbacks), e.g."
                + " https://relay.example.com/callbacks; /{jobId}/{token} is appended to it");
      }
      return Optional.empty();
    };
  }

  /** A non-blank string. */
  static Validator<String> nonBlank() {
    return v -> v.isBlank() ? Optional.of("must not be empty") : Optional.empty();
  }

  /** A string matching the pattern, described for the reader. */
  static Validator<String> matches(String regex, String description) {
    Pattern p = Pattern.compile(regex);
    return v -> p.matcher(v).matches() ? Optional.empty() : Optional.of("must be " + description);
  }

  /**
   * A version of the internal schemas this build ships ({@link
   * io.renderrelay.avro.ReleasedSchemas}): one it cannot write would fail the start later, with a
   * stack trace instead of a configuration error.
   */
  static Validator<String> releasedSchemaVersion() {
    return v -> {
      java.util.List<String> released = io.renderrelay.avro.ReleasedSchemas.load().versions();
      return released.contains(v)
          ? Optional.empty()
          : Optional.of("must be a released version, one of " + String.join(", ", released));
    };
  }

  /** A non-empty list or set of elements each matching the pattern. */
  static <C extends Collection<String>> Validator<C> eachMatches(
      String regex, String description, boolean allowEmpty) {
    Pattern p = Pattern.compile(regex);
    return v -> {
      if (!allowEmpty && v.isEmpty()) {
        return Optional.of("must not be empty");
      }
      for (String item : v) {
        if (!p.matcher(item).matches()) {
          return Optional.of("element '" + item + "' must be " + description);
        }
      }
      return Optional.empty();
    };
  }

  /** host:port entries, e.g. broker1:9092,broker2:9092. */
  static Validator<java.util.List<String>> hostPortList() {
    return eachMatches(
        "(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9._-]+):([1-9][0-9]{0,4})", "host:port", false);
  }

  /** A Kafka topic name. */
  static Validator<String> topicName() {
    return matches("[A-Za-z0-9._-]{1,249}", "a Kafka topic name ([A-Za-z0-9._-], 1..249 chars)");
  }
}
