package io.renderrelay.worker.storage;

import io.renderrelay.avro.JobType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deterministic S3 keys: {@code <rootPrefix>/<restyle|act-one>/[<outputPrefix>/]<jobId>/<file>},
 * e.g. {@code renders/restyle/2024/acme/job-42/video.mp4}. The same job always maps to the same
 * keys, which is what lets a retried copy find its earlier object.
 *
 * <p>Hostile input is refused, never encoded: every segment of the root, the output prefix and the
 * job id must be 1..200 characters of {@code A-Z a-z 0-9 . _ -}, and may not be {@code .} or {@code
 * ..}. The output prefix may have several segments separated by single {@code /}; leading, trailing
 * or doubled slashes are refused. Refusals are IllegalArgumentException with the reason.
 */
public final class KeyLayout {
  private static final int MAX_SEGMENT = 200;
  private static final int MAX_KEY_BYTES = 1024;

  private final String rootPrefix;

  /** The root may be empty; surrounding slashes of the configured root are ignored. */
  public KeyLayout(String rootPrefix) {
    String root = Objects.requireNonNull(rootPrefix, "rootPrefix").strip();
    while (root.startsWith("/")) {
      root = root.substring(1);
    }
    while (root.endsWith("/")) {
      root = root.substring(0, root.length() - 1);
    }
    if (!root.isEmpty()) {
      requireSegments("storage root prefix", root);
    }
    this.rootPrefix = root;
  }

  /** The key of one output of one job. */
  public String key(JobType jobType, String outputPrefix, String jobId, OutputKind kind) {
    Objects.requireNonNull(kind, "kind");
    List<String> parts = new ArrayList<>();
    if (!rootPrefix.isEmpty()) {
      parts.add(rootPrefix);
    }
    parts.add(typeSegment(jobType));
    if (outputPrefix != null && !outputPrefix.isEmpty()) {
      requireSegments("output prefix", outputPrefix);
      parts.add(outputPrefix);
    }
    requireSegment("job id", jobId);
    parts.add(jobId);
    parts.add(kind.fileName());
    String key = String.join("/", parts);
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("S3 key would exceed " + MAX_KEY_BYTES + " bytes");
    }
    return key;
  }

  static String typeSegment(JobType jobType) {
    if (jobType == null) {
      throw new IllegalArgumentException("job type is missing");
    }
    return switch (jobType) {
      case RESTYLE -> "restyle";
      case ACT_ONE -> "act-one";
      case UNKNOWN -> throw new IllegalArgumentException("job type UNKNOWN has no output keys");
    };
  }

  /** Checks a full key handed to a copier: same character rules, segment by segment. */
  public static void requireSafeKey(String key) {
    requireSegments("S3 key", key);
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("S3 key exceeds " + MAX_KEY_BYTES + " bytes");
    }
  }

  private static void requireSegments(String what, String path) {
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
      throw new IllegalArgumentException(
          what + " may not start or end with '/' or contain an empty segment");
    }
    for (String segment : path.split("/", -1)) {
      requireSegment(what, segment);
    }
  }

  private static void requireSegment(String what, String segment) {
    if (segment == null || segment.isEmpty()) {
      throw new IllegalArgumentException(what + " is empty");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new IllegalArgumentException(what + " may not contain '.' or '..' segments");
    }
    if (segment.length() > MAX_SEGMENT) {
      throw new IllegalArgumentException(what + " segment is longer than " + MAX_SEGMENT);
    }
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      if (!ok) {
        throw new IllegalArgumentException(
            what
                + " contains the character "
                + (Character.isISOControl(c) || Character.isWhitespace(c)
                    ? String.format("U+%04X", (int) c)
                    : "'" + c + "'")
                + " (allowed: A-Z a-z 0-9 . _ -)");
      }
    }
  }

  @Override
  public String toString() {
    return "KeyLayout[" + rootPrefix + "]";
  }
}
