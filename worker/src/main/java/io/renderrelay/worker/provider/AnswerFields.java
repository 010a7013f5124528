package io.renderrelay.worker.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lenient readers of single values in the gateway's answers: text, flags, progress, times and web
 * URLs, each as the gateway or Runway may spell it; a value that does not read is empty, never an
 * error.
 */
final class AnswerFields {
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;

  private AnswerFields() {}

  static boolean isTrue(JsonNode node) {
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue() != 0;
    }
    String text = node.asText("").strip().toLowerCase(Locale.ROOT);
    return text.equals("true") || text.equals("yes") || text.matches("[1-9][0-9]*");
  }

  static Optional<Integer> progress(JsonNode node) {
    Optional<String> text = text(node);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String value = text.get().strip();
    boolean percent = value.endsWith("%");
    try {
      double number = Double.parseDouble(percent ? value.substring(0, value.length() - 1) : value);
      if (!percent && number > 0 && number < 1) {
        number *= 100; // Runway's own progress is a fraction
      }
      if (Double.isNaN(number)) {
        return Optional.empty();
      }
      return Optional.of((int) Math.round(Math.max(0, Math.min(100, number))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static Optional<Instant> firstTime(JsonNode... nodes) {
    return Stream.of(nodes).map(AnswerFields::time).flatMap(Optional::stream).findFirst();
  }

  /** Unix seconds (or millis) as number or string, 0 meaning unset, or ISO-8601. */
  static Optional<Instant> time(JsonNode node) {
    Optional<String> text = text(node);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String value = text.get().strip();
    try {
      long epoch = Long.parseLong(value);
      if (epoch <= 0) {
        return Optional.empty();
      }
      return Optional.of(
          epoch >= MILLIS_THRESHOLD ? Instant.ofEpochMilli(epoch) : Instant.ofEpochSecond(epoch));
    } catch (NumberFormatException notEpoch) {
      try {
        return Optional.of(OffsetDateTime.parse(value).toInstant());
      } catch (DateTimeParseException notIso) {
        return Optional.empty();
      }
    }
  }

  static Optional<URI> httpUrl(String value) {
    try {
      URI uri = new URI(value.strip());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean web = scheme.equals("https") || scheme.equals("http");
      return web && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  static Optional<String> text(JsonNode parent, String field) {
    return parent == null ? Optional.empty() : text(parent.get(field));
  }

  /** Non-blank text of a string or number node. */
  static Optional<String> text(JsonNode node) {
    if (node == null || !(node.isTextual() || node.isNumber())) {
      return Optional.empty();
    }
    String value = node.asText();
    return value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
