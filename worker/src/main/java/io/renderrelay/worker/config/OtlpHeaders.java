package io.renderrelay.worker.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The value of {@code tracing.otlp-headers}: the OTLP exporter's extra request headers (a
 * collector's or vendor's credentials), written as {@code OTEL_EXPORTER_OTLP_HEADERS} spells them:
 * {@code name=value} pairs separated by commas, values percent-encoded. Problems are reported by
 * position, never with the value. It lives with the key that parses it, so the tracing package
 * depends on config and not the other way round.
 */
public final class OtlpHeaders {

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private OtlpHeaders() {}

  /** The headers in order; throws {@link IllegalArgumentException} on a malformed list. */
  public static Map<String, String> parse(String spec) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (spec.isBlank()) {
      return headers;
    }
    String[] entries = spec.split(",", -1);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq).strip();
      if (eq < 0 || !TOKEN.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "entry " + (i + 1) + " is not name=value with a valid header name");
      }
      try {
        headers.put(
            name, URLDecoder.decode(entry.substring(eq + 1).strip(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException badEscape) {
        throw new IllegalArgumentException(
            "entry " + (i + 1) + " (" + name + ") has a malformed %-escape", badEscape);
      }
    }
    return headers;
  }

  /** The problem with {@code spec}, if any (a config validator). */
  public static Optional<String> problem(String spec) {
    try {
      parse(spec);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }
}
