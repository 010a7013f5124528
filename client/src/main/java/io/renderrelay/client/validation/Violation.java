package io.renderrelay.client.validation;

import java.util.Objects;

/**
 * One broken rule of a command.
 *
 * @param field path of the offending field, e.g. {@code options.structureTransformation} or {@code
 *     metadata[tenant]}
 * @param code machine-readable kind of the problem
 * @param message human-readable explanation; never contains secrets, may quote a shortened value
 */
public record Violation(String field, Code code, String message) {

  private static final int QUOTE_MAX = 60;

  /** Machine-readable kinds of violations. */
  public enum Code {
    /** A required value is null or blank. */
    MISSING,
    /** A string is longer than allowed. */
    TOO_LONG,
    /** A map has more entries than allowed. */
    TOO_MANY,
    /** A number or time lies outside its allowed range (or is NaN / infinite). */
    OUT_OF_RANGE,
    /** A URL cannot be parsed, is relative, has no host or carries user info. */
    BAD_URL,
    /** A URL's scheme is not in the allowed set (e.g. {@code http} when only https is allowed). */
    BAD_SCHEME,
    /** A URL's host is a loopback, private, link-local, metadata or otherwise internal address. */
    PRIVATE_HOST,
    /** A job id does not match the allowed pattern. */
    BAD_ID,
    /** The model is not one of the allowed models. */
    UNKNOWN_MODEL,
    /** An output prefix is not a safe relative key path. */
    BAD_PATH,
    /** Two fields that must differ are equal. */
    CONFLICT
  }

  /** Validates the components; all three are required. */
  public Violation {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + code + " (" + message + ")";
  }

  /** A {@link Code#TOO_LONG} violation. */
  static Violation tooLong(String field, int length, int max) {
    return new Violation(field, Code.TOO_LONG, length + " chars, at most " + max + " allowed");
  }

  /** {@code value} quoted for a message: cut at 60 chars, control chars as {@code ?}. */
  static String quote(String value) {
    String v = value.length() > QUOTE_MAX ? value.substring(0, QUOTE_MAX) + "..." : value;
    return "'" + v.replaceAll("\\p{Cntrl}", "?") + "'";
  }
}
