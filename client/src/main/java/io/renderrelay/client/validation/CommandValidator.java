package io.renderrelay.client.validation;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.client.validation.Violation.Code;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * Checks render commands against {@link ValidationRules}. The client runs it before sending and the
 * worker on intake, so a command the client accepts is one the worker accepts (given the same
 * rules). It reports every violation, not only the first. It is pure: it never resolves a host name
 * and never fetches a URL. Thread-safe.
 */
public final class CommandValidator {

  private final ValidationRules rules;
  private final Clock clock;

  /**
   * Creates a validator.
   *
   * @param rules the limits to enforce
   * @param clock the time source for the "requestedAt not in the future" check
   */
  public CommandValidator(ValidationRules rules, Clock clock) {
    this.rules = Objects.requireNonNull(rules, "rules");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Creates a validator on the system UTC clock. */
  public CommandValidator(ValidationRules rules) {
    this(rules, Clock.systemUTC());
  }

  /** Returns the rules this validator enforces. */
  public ValidationRules rules() {
    return rules;
  }

  /** Returns every violation of a restyle command; empty when it is valid. */
  public List<Violation> validate(RestyleCommand c) {
    List<Violation> out = new ArrayList<>();
    jobId(c.getJobId(), out);
    UrlCheck.check(rules, "sourceVideoUrl", c.getSourceVideoUrl(), out);
    prompt(c.getPrompt(), out);
    model(c.getModel(), out);
    options(c.getOptions(), out);
    outputPrefix(c.getOutputPrefix(), out);
    metadata(c.getMetadata(), out);
    times(c.getRequestedAt(), c.getDeadline(), out);
    return List.copyOf(out);
  }

  /** Returns every violation of an act-one command; empty when it is valid. */
  public List<Violation> validate(ActOneCommand c) {
    List<Violation> out = new ArrayList<>();
    jobId(c.getJobId(), out);
    UrlCheck.check(rules, "performanceVideoUrl", c.getPerformanceVideoUrl(), out);
    UrlCheck.check(rules, "characterImageUrl", c.getCharacterImageUrl(), out);
    if (c.getPerformanceVideoUrl() != null
        && c.getPerformanceVideoUrl().equals(c.getCharacterImageUrl())) {
      out.add(
          new Violation(
              "characterImageUrl",
              Code.CONFLICT,
              "must differ from performanceVideoUrl (one is a video, the other an image)"));
    }
    outputPrefix(c.getOutputPrefix(), out);
    metadata(c.getMetadata(), out);
    times(c.getRequestedAt(), c.getDeadline(), out);
    return List.copyOf(out);
  }

  /**
   * Validates any command record.
   *
   * @throws IllegalArgumentException when the record is not a known command type
   */
  public List<Violation> validate(SpecificRecord command) {
    return switch (command) {
      case RestyleCommand r -> validate(r);
      case ActOneCommand a -> validate(a);
      default ->
          throw new IllegalArgumentException(
              "not a render command: " + command.getSchema().getFullName());
    };
  }

  /**
   * Validates a command and throws when it breaks any rule.
   *
   * @throws ValidationException listing every violation
   */
  public void requireValid(SpecificRecord command) {
    List<Violation> violations = validate(command);
    if (!violations.isEmpty()) {
      var field = command.getSchema().getField("jobId");
      Object id = field == null ? null : command.get(field.pos());
      throw new ValidationException(
          command.getSchema().getName() + " " + Violation.quote(String.valueOf(id)), violations);
    }
  }

  private void jobId(String id, List<Violation> out) {
    if (id == null || id.isBlank()) {
      out.add(new Violation("jobId", Code.MISSING, "a job id is required"));
    } else if (!rules.jobIdPattern().matcher(id).matches()) {
      out.add(
          new Violation(
              "jobId",
              Code.BAD_ID,
              "must match " + rules.jobIdPattern().pattern() + ", got " + Violation.quote(id)));
    } else {
      // a custom pattern may allow more than an S3 key segment: the job id is one
      KeyRules.segmentProblem(id)
          .ifPresent(
              p -> out.add(new Violation("jobId", Code.BAD_ID, "not usable in S3 keys: " + p)));
    }
  }

  private void prompt(String prompt, List<Violation> out) {
    if (prompt == null || prompt.isBlank()) {
      out.add(new Violation("prompt", Code.MISSING, "a prompt is required"));
    } else if (prompt.length() > rules.maxPromptLength()) {
      out.add(Violation.tooLong("prompt", prompt.length(), rules.maxPromptLength()));
    }
  }

  private void model(String model, List<Violation> out) {
    if (model == null || model.isBlank()) {
      out.add(new Violation("model", Code.MISSING, "a model is required"));
    } else if (!rules.allowedModels().contains(model)) {
      out.add(
          new Violation(
              "model",
              Code.UNKNOWN_MODEL,
              Violation.quote(model) + " is not one of " + rules.allowedModels()));
    }
  }

  private void options(RestyleOptions options, List<Violation> out) {
    if (options == null) {
      out.add(new Violation("options", Code.MISSING, "options are required"));
      return;
    }
    double st = options.getStructureTransformation();
    if (!Double.isFinite(st) || st < 0.0 || st > 1.0) {
      out.add(
          new Violation(
              "options.structureTransformation",
              Code.OUT_OF_RANGE,
              "must be a finite number in [0, 1], got " + st));
    }
  }

  private void outputPrefix(String prefix, List<Violation> out) {
    if (prefix == null) {
      return;
    }
    if (prefix.length() > rules.maxOutputPrefixLength()) {
      out.add(Violation.tooLong("outputPrefix", prefix.length(), rules.maxOutputPrefixLength()));
      return;
    }
    KeyRules.pathProblem(prefix)
        .ifPresent(
            p ->
                out.add(
                    new Violation(
                        "outputPrefix",
                        Code.BAD_PATH,
                        "must be a relative key path of ["
                            + KeyRules.SEGMENT_CHARS
                            + "] segments: "
                            + p)));
  }

  private void metadata(Map<String, String> metadata, List<Violation> out) {
    if (metadata == null) {
      return;
    }
    if (metadata.size() > rules.maxMetadataEntries()) {
      out.add(
          new Violation(
              "metadata",
              Code.TOO_MANY,
              metadata.size() + " entries, at most " + rules.maxMetadataEntries() + " allowed"));
    }
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      String key = e.getKey();
      String path = "metadata[" + Violation.quote(String.valueOf(key)) + "]";
      if (key == null || key.isBlank()) {
        out.add(new Violation("metadata", Code.MISSING, "metadata keys must not be blank"));
      } else if (key.length() > rules.maxMetadataKeyLength()) {
        out.add(Violation.tooLong(path + " (key)", key.length(), rules.maxMetadataKeyLength()));
      }
      if (e.getValue() == null) {
        out.add(new Violation(path, Code.MISSING, "metadata values must not be null"));
      } else if (e.getValue().length() > rules.maxMetadataValueLength()) {
        out.add(Violation.tooLong(path, e.getValue().length(), rules.maxMetadataValueLength()));
      }
    }
  }

  private void times(Instant requestedAt, Instant deadline, List<Violation> out) {
    if (requestedAt == null) {
      out.add(new Violation("requestedAt", Code.MISSING, "requestedAt is required"));
      return;
    }
    Instant latest = clock.instant().plus(rules.maxClockSkew());
    if (requestedAt.isBefore(rules.earliestRequestedAt()) || requestedAt.isAfter(latest)) {
      out.add(
          new Violation(
              "requestedAt",
              Code.OUT_OF_RANGE,
              "must lie between "
                  + rules.earliestRequestedAt()
                  + " and now + "
                  + rules.maxClockSkew()
                  + ", got "
                  + requestedAt));
    }
    if (deadline == null) {
      return;
    }
    Duration budget = Duration.between(requestedAt, deadline);
    if (budget.compareTo(rules.minDeadline()) < 0 || budget.compareTo(rules.maxDeadline()) > 0) {
      out.add(
          new Violation(
              "deadline",
              Code.OUT_OF_RANGE,
              "must lie between requestedAt + "
                  + rules.minDeadline()
                  + " and requestedAt + "
                  + rules.maxDeadline()
                  + ", got requestedAt + "
                  + budget));
    }
  }
}
