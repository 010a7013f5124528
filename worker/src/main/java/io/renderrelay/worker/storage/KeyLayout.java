package io.renderrelay.worker.storage;

import io.renderrelay.avro.JobType;
import io.renderrelay.client.validation.KeyRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deterministic S3 keys: {@code <rootPrefix>/<restyle|act-one>/[<outputPrefix>/]<jobId>/<file>},
 * e.g. {@code renders/restyle/2024/acme/job-42/video.mp4}. The same job always maps to the same
 * keys, which is what lets a retried copy find its earlier object.
 *
 * <p>Hostile input is refused, never encoded, by the same {@link KeyRules} the command validator
 * applies at intake, so a command accepted (and paid for) always has keys: every segment of the
 * root, the output prefix and the job id is 1..200 characters of {@code A-Z a-z 0-9 . _ - = :} and
 * not {@code .} or {@code ..}; the output prefix may have several segments separated by single
 * {@code /} and one trailing {@code /} (ignored). Refusals are IllegalArgumentException with the
 * reason.
 */
public final class KeyLayout {

  /**
   * Longest root prefix: with the longest output prefix (256) and job id (200) the validator lets
   * through, every key stays within {@link KeyRules#MAX_KEY_BYTES}.
   */
  static final int MAX_ROOT = 512;

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
    if (root.length() > MAX_ROOT) {
      throw new IllegalArgumentException(
          "storage root prefix is longer than " + MAX_ROOT + " characters");
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
      parts.add(KeyRules.normalizePath(outputPrefix));
    }
    KeyRules.segmentProblem(jobId)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("job id " + p);
            });
    parts.add(jobId);
    parts.add(kind.fileName());
    String key = String.join("/", parts);
    if (key.getBytes(StandardCharsets.UTF_8).length > KeyRules.MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "S3 key would exceed " + KeyRules.MAX_KEY_BYTES + " bytes");
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
    if (key != null && key.endsWith("/")) {
      throw new IllegalArgumentException("S3 key may not end with '/'");
    }
    requireSegments("S3 key", key);
    if (key.getBytes(StandardCharsets.UTF_8).length > KeyRules.MAX_KEY_BYTES) {
      throw new IllegalArgumentException("S3 key exceeds " + KeyRules.MAX_KEY_BYTES + " bytes");
    }
  }

  private static void requireSegments(String what, String path) {
    KeyRules.pathProblem(path)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(what + " " + p);
            });
  }

  @Override
  public String toString() {
    return "KeyLayout[" + rootPrefix + "]";
  }
}
