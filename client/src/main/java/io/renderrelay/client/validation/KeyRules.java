package io.renderrelay.client.validation;

import java.util.Optional;

/**
 * The one rule set for the parts of a render's S3 keys that come from a command: the job id and the
 * output prefix. The client's validation and the worker's key layout both apply it, so a command
 * the validator accepts always yields valid keys (nothing is paid for a job whose outputs could not
 * be stored).
 *
 * <p>A key segment is 1 to {@value #MAX_SEGMENT} characters of {@code A-Z a-z 0-9 . _ - = :} and is
 * neither {@code .} nor {@code ..}: characters S3 keys carry safely (the SDK encodes {@code =} and
 * {@code :} on the wire), so ids like {@code order:42} and Hive-style prefixes like {@code
 * dt=2024-05-01} work. An output prefix is one or more segments separated by single {@code /}; a
 * single trailing {@code /} is allowed and ignored ({@code acme/} is {@code acme}); a leading or
 * doubled slash is refused.
 */
public final class KeyRules {

  /** Longest key segment. */
  public static final int MAX_SEGMENT = 200;

  /** Longest S3 key in bytes. */
  public static final int MAX_KEY_BYTES = 1024;

  /** The characters of a segment, for messages. */
  public static final String SEGMENT_CHARS = "A-Z a-z 0-9 . _ - = :";

  private KeyRules() {}

  /** What is wrong with one key segment (e.g. a job id), or empty when it is fine. */
  public static Optional<String> segmentProblem(String segment) {
    if (segment == null || segment.isEmpty()) {
      return Optional.of("is empty");
    }
    if (segment.equals(".") || segment.equals("..")) {
      return Optional.of("may not be '.' or '..'");
    }
    if (segment.length() > MAX_SEGMENT) {
      return Optional.of("is longer than " + MAX_SEGMENT + " characters");
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (!allowed(c)) {
        return Optional.of(
            "contains the character "
                + (Character.isISOControl(c) || Character.isWhitespace(c) || c > 126
                    ? String.format("U+%04X", (int) c)
                    : "'" + c + "'")
                + " (allowed: "
                + SEGMENT_CHARS
                + ")");
      }
    }
    return Optional.empty();
  }

  /** What is wrong with a path of segments (an output prefix), or empty when it is fine. */
  public static Optional<String> pathProblem(String path) {
    if (path == null || path.isEmpty()) {
      return Optional.of("is empty");
    }
    String p = normalizePath(path);
    if (p.isEmpty() || p.startsWith("/") || p.endsWith("/") || p.contains("//")) {
      return Optional.of("may not start with '/' or contain an empty segment");
    }
    for (String segment : p.split("/", -1)) {
      Optional<String> problem = segmentProblem(segment);
      if (problem.isPresent()) {
        return Optional.of("segment '" + shorten(segment) + "' " + problem.get());
      }
    }
    return Optional.empty();
  }

  /** The path as used in keys: without its one trailing slash. */
  public static String normalizePath(String path) {
    return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-'
        || c == '='
        || c == ':';
  }

  private static String shorten(String s) {
    String printable = s.codePoints().allMatch(cp -> cp >= 32 && cp < 127) ? s : "...";
    return printable.length() <= 40 ? printable : printable.substring(0, 40) + "...";
  }
}
