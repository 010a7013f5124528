package io.renderrelay.worker.provider;

import io.renderrelay.worker.config.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the API key, any {@code Authorization} header value and any {@code Bearer} token in a
 * string. Everything the client echoes from an answer (bodies, reasons, header values) goes through
 * here before it reaches an exception message or a log line.
 */
final class Redactor {

  /** What replaces a masked value. */
  public static final String MASK = "[redacted]";

  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "(?i)(\\\\?\"?(?:proxy-)?authorization\\\\?\"?\\s*[:=]\\s*\\\\?\"?)([^\"\\\\\\r"
              + "\\n"
              + ",;})]*)");
  private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)[^\\s\"'\\\\,;})]+");

  private final List<String> literals;

  /**
   * @param apiKey the key to mask wherever it appears, also JSON- and URL-escaped
   */
  public Redactor(Secret apiKey) {
    Objects.requireNonNull(apiKey, "apiKey");
    List<String> forms = new ArrayList<>();
    String key = apiKey.reveal();
    if (!key.isEmpty()) {
      forms.add(key);
      forms.add(key.replace("/", "\\/"));
      forms.add(java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8));
    }
    forms.sort((a, b) -> b.length() - a.length());
    this.literals = List.copyOf(forms);
  }

  /** {@code text} with every secret masked; null becomes "null". */
  public String redact(String text) {
    if (text == null) {
      return "null";
    }
    String out = text;
    for (String literal : literals) {
      out = out.replace(literal, MASK);
    }
    out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    out = BEARER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
    return out;
  }

  /**
   * A redacted, single-line excerpt of at most {@code maxChars} characters (plus a note of what was
   * cut), for quoting answer bodies in messages.
   */
  public String snippet(String text, int maxChars) {
    if (text == null) {
      return "<no body>";
    }
    String flat = redact(text).replaceAll("\\s+", " ").strip();
    if (flat.isEmpty()) {
      return "<empty body>";
    }
    if (flat.length() <= maxChars) {
      return flat;
    }
    return flat.substring(0, maxChars) + "...(" + (flat.length() - maxChars) + " more chars)";
  }

  @Override
  public String toString() {
    return "Redactor[" + literals.size() + " forms]";
  }
}
