package io.renderrelay.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a caller asks for in a restyle job; the publisher turns it into a {@code RestyleCommand}
 * (adding a generated job id when none is given and {@code requestedAt} from its clock). Start with
 * {@link #of(String, String)} and refine with the {@code with*} methods. Values are checked by the
 * publisher's validator, not here.
 *
 * @param jobId caller-chosen job id (the idempotency key); generated (UUID) when empty
 * @param sourceVideoUrl https URL of the source video
 * @param prompt target style
 * @param model provider model (default {@code gen4})
 * @param structureTransformation 0..1 (default 0.5)
 * @param flip flip the output horizontally (default false)
 * @param outputPrefix optional S3 key prefix below the worker's root
 * @param metadata echoed in the terminal event
 * @param deadline absolute deadline; the worker's default applies when empty
 */
public record RestyleRequest(
    Optional<String> jobId,
    String sourceVideoUrl,
    String prompt,
    String model,
    double structureTransformation,
    boolean flip,
    Optional<String> outputPrefix,
    Map<String, String> metadata,
    Optional<Instant> deadline) {

  /** Checks and copies the components. */
  public RestyleRequest {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(outputPrefix, "outputPrefix");
    Objects.requireNonNull(deadline, "deadline");
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  /** A request with defaults: generated id, model gen4, structureTransformation 0.5, no flip. */
  public static RestyleRequest of(String sourceVideoUrl, String prompt) {
    return new RestyleRequest(
        Optional.empty(),
        sourceVideoUrl,
        prompt,
        "gen4",
        0.5,
        false,
        Optional.empty(),
        Map.of(),
        Optional.empty());
  }

  /** Returns a copy with this caller-chosen job id. */
  public RestyleRequest withJobId(String id) {
    return new RestyleRequest(
        Optional.of(id),
        sourceVideoUrl,
        prompt,
        model,
        structureTransformation,
        flip,
        outputPrefix,
        metadata,
        deadline);
  }

  /** Returns a copy with this model. */
  public RestyleRequest withModel(String m) {
    return new RestyleRequest(
        jobId,
        sourceVideoUrl,
        prompt,
        m,
        structureTransformation,
        flip,
        outputPrefix,
        metadata,
        deadline);
  }

  /** Returns a copy with this structure transformation (0..1). */
  public RestyleRequest withStructureTransformation(double st) {
    return new RestyleRequest(
        jobId, sourceVideoUrl, prompt, model, st, flip, outputPrefix, metadata, deadline);
  }

  /** Returns a copy with this flip flag. */
  public RestyleRequest withFlip(boolean f) {
    return new RestyleRequest(
        jobId,
        sourceVideoUrl,
        prompt,
        model,
        structureTransformation,
        f,
        outputPrefix,
        metadata,
        deadline);
  }

  /** Returns a copy with this S3 key prefix. */
  public RestyleRequest withOutputPrefix(String prefix) {
    return new RestyleRequest(
        jobId,
        sourceVideoUrl,
        prompt,
        model,
        structureTransformation,
        flip,
        Optional.of(prefix),
        metadata,
        deadline);
  }

  /** Returns a copy with this metadata (replacing any earlier metadata). */
  public RestyleRequest withMetadata(Map<String, String> m) {
    return new RestyleRequest(
        jobId,
        sourceVideoUrl,
        prompt,
        model,
        structureTransformation,
        flip,
        outputPrefix,
        m,
        deadline);
  }

  /** Returns a copy with this absolute deadline. */
  public RestyleRequest withDeadline(Instant d) {
    return new RestyleRequest(
        jobId,
        sourceVideoUrl,
        prompt,
        model,
        structureTransformation,
        flip,
        outputPrefix,
        metadata,
        Optional.of(d));
  }
}
