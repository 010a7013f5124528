package io.renderrelay.client;

import io.renderrelay.avro.RenderOutput;
import java.util.Objects;

/**
 * Where one rendered object lies in S3, for the downstream fetcher.
 *
 * @param bucket the bucket name
 * @param key the object key (not URL-encoded)
 */
public record S3Location(String bucket, String key) {

  private static final String SCHEME = "s3://";

  /** Checks that bucket and key are present. */
  public S3Location {
    if (bucket == null || bucket.isBlank() || bucket.contains("/")) {
      throw new IllegalArgumentException("an S3 bucket name must be non-blank without '/'");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an S3 key must not be empty");
    }
  }

  /**
   * Reads the location of an event's output and checks that its {@code uri} agrees with its {@code
   * bucket} and {@code key}.
   *
   * @throws IllegalArgumentException when they disagree or are missing
   */
  public static S3Location of(RenderOutput output) {
    Objects.requireNonNull(output, "output");
    S3Location loc = new S3Location(output.getBucket(), output.getKey());
    if (output.getUri() != null && !output.getUri().equals(loc.uri())) {
      throw new IllegalArgumentException(
          "RenderOutput uri " + output.getUri() + " does not match bucket/key " + loc.uri());
    }
    return loc;
  }

  /**
   * Parses {@code s3://bucket/key}.
   *
   * @throws IllegalArgumentException when the text is not such a URI
   */
  public static S3Location parse(String uri) {
    if (uri == null || !uri.startsWith(SCHEME)) {
      throw new IllegalArgumentException("not an s3:// URI: " + uri);
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException("an s3 URI needs a bucket and a key: " + uri);
    }
    return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
  }

  /** Returns {@code s3://bucket/key}. */
  public String uri() {
    return SCHEME + bucket + "/" + key;
  }

  /** Returns the last segment of the key, e.g. {@code video.mp4}. */
  public String fileName() {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
