package io.renderrelay.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for in an act-one job; the publisher turns it into an {@code ActOneCommand}.
 * Start with {@link #of(String, String)} and refine with the {@code with*} methods.
 *
 * @param jobId caller-chosen job id (the idempotency key); generated (UUID) when empty
 * @param performanceVideoUrl https URL of the performance video (16:9)
 * @param characterImageUrl https URL of the character image (16:9)
 * @param outputPrefix optional S3 key prefix below the worker's root
 * @param metadata echoed in the terminal event
 * @param deadline absolute deadline; the worker's default applies when empty
 */
public record ActOneRequest(
    Optional<String> jobId,
    String performanceVideoUrl,
    String characterImageUrl,
    Optional<String> outputPrefix,
    Map<String, String> metadata,
    Optional<Instant> deadline) {

  /** Checks and copies the components. */
  public ActOneRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(outputPrefix, "outputPrefix");
    Objects.requireNonNull(deadline, "deadline");
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  /** A request with a generated id, no prefix, no metadata and the default deadline. */
  public static ActOneRequest of(String performanceVideoUrl, String characterImageUrl) {
    return new ActOneRequest(
        Optional.empty(),
        performanceVideoUrl,
        characterImageUrl,
        Optional.empty(),
        Map.of(),
        Optional.empty());
  }

  /** Returns a copy with this caller-chosen job id. */
  public ActOneRequest withJobId(String id) {
    return new ActOneRequest(
        Optional.of(id), performanceVideoUrl, characterImageUrl, outputPrefix, metadata, deadline);
  }

  /** Returns a copy with this S3 key prefix. */
  public ActOneRequest withOutputPrefix(String prefix) {
    return new ActOneRequest(
        jobId, performanceVideoUrl, characterImageUrl, Optional.of(prefix), metadata, deadline);
  }

  /** Returns a copy with this metadata (replacing any earlier metadata). */
  public ActOneRequest withMetadata(Map<String, String> m) {
    return new ActOneRequest(
        jobId, performanceVideoUrl, characterImageUrl, outputPrefix, m, deadline);
  }

  /** Returns a copy with this absolute deadline. */
  public ActOneRequest withDeadline(Instant d) {
    return new ActOneRequest(
        jobId, performanceVideoUrl, characterImageUrl, outputPrefix, metadata, Optional.of(d));
  }
}
