package io.renderrelay.client;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

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
    return copy(d -> d.jobId = Optional.of(id));
  }

  /** Returns a copy with this model. */
  public RestyleRequest withModel(String m) {
    return copy(d -> d.model = m);
  }

  /** Returns a copy with this structure transformation (0..1). */
  public RestyleRequest withStructureTransformation(double st) {
    return copy(d -> d.structureTransformation = st);
  }

  /** Returns a copy with this flip flag. */
  public RestyleRequest withFlip(boolean f) {
    return copy(d -> d.flip = f);
  }

  /** Returns a copy with this S3 key prefix. */
  public RestyleRequest withOutputPrefix(String prefix) {
    return copy(d -> d.outputPrefix = Optional.of(prefix));
  }

  /** Returns a copy with this metadata (replacing any earlier metadata). */
  public RestyleRequest withMetadata(Map<String, String> m) {
    return copy(d -> d.metadata = m);
  }

  /** Returns a copy with this absolute deadline. */
  public RestyleRequest withDeadline(Instant d) {
    return copy(draft -> draft.deadline = Optional.of(d));
  }

  private RestyleRequest copy(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return new RestyleRequest(
        d.jobId,
        d.sourceVideoUrl,
        d.prompt,
        d.model,
        d.structureTransformation,
        d.flip,
        d.outputPrefix,
        d.metadata,
        d.deadline);
  }

  /** The components of a copy being made, one of them changed. */
  private static final class Draft {
    Optional<String> jobId;
    final String sourceVideoUrl;
    final String prompt;
    String model;
    double structureTransformation;
    boolean flip;
    Optional<String> outputPrefix;
    Map<String, String> metadata;
    Optional<Instant> deadline;

    Draft(RestyleRequest r) {
      jobId = r.jobId;
      sourceVideoUrl = r.sourceVideoUrl;
      prompt = r.prompt;
      model = r.model;
      structureTransformation = r.structureTransformation;
      flip = r.flip;
      outputPrefix = r.outputPrefix;
      metadata = r.metadata;
      deadline = r.deadline;
    }
  }
}
