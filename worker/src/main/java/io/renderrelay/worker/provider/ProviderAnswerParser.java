package io.renderrelay.worker.provider;

import static io.renderrelay.worker.provider.AnswerFields.firstTime;
import static io.renderrelay.worker.provider.AnswerFields.isTrue;
import static io.renderrelay.worker.provider.AnswerFields.progress;
import static io.renderrelay.worker.provider.AnswerFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the gateway's answers, both the classic envelope ({@code code: 200, msg}) and the newer one
 * ({@code code: "success", message}, nested Runway task), into {@link Envelope} and {@link
 * TaskSnapshot}. Pure: no I/O, no logging, thread-safe. Failure reasons are redacted.
 */
final class ProviderAnswerParser {

  private static final int MAX_REASON_CHARS = 500;
  private static final int MAX_TASK_ID_CHARS = 200;

  private final ObjectMapper mapper;
  private final StatusNormaliser normaliser;
  private final Redactor redactor;

  public ProviderAnswerParser(ObjectMapper mapper, StatusNormaliser normaliser, Redactor redactor) {
    this.mapper = Objects.requireNonNull(mapper, "mapper");
    this.normaliser = Objects.requireNonNull(normaliser, "normaliser");
    this.redactor = Objects.requireNonNull(redactor, "redactor");
  }

  /** Parses the envelope; a body that is not a JSON object, or has no code nor data, throws. */
  public Envelope parseEnvelope(String body) throws ProviderAnswerException {
    JsonNode root = readObject(body);
    Optional<GatewayError> error = errorOf(root);
    JsonNode code = root.get("code");
    JsonNode data = root.path("data");
    String message = text(root, "msg").or(() -> text(root, "message")).orElse("");
    boolean ok;
    if (code == null || code.isNull()) {
      if (error.isEmpty() && !data.isObject()) {
        throw new ProviderAnswerException("answer has neither a gateway code nor a data object");
      }
      ok = error.isEmpty();
    } else {
      ok = error.isEmpty() && isOkCode(code);
    }
    return new Envelope(ok, code == null ? "" : code.asText(""), message, data, error);
  }

  /** The gateway error object of {@code body}, if it is JSON and has one; never throws. */
  public Optional<GatewayError> gatewayError(String body) {
    try {
      return errorOf(readObject(body));
    } catch (ProviderAnswerException e) {
      return Optional.empty();
    }
  }

  /** The task id of a submit answer ({@code data.task_id}); missing or odd ids throw. */
  public String taskId(Envelope envelope) throws ProviderAnswerException {
    Optional<String> id = text(envelope.data(), "task_id");
    if (id.isEmpty()) {
      throw new ProviderAnswerException("answer has no data.task_id");
    }
    return checkTaskId(id.get());
  }

  /** The normalised task of a Feed Get Task answer whose envelope said success. */
  public TaskSnapshot snapshot(Envelope envelope, String requestedTaskId)
      throws ProviderAnswerException {
    JsonNode d = envelope.data();
    if (!d.isObject()) {
      throw new ProviderAnswerException("feed answer has no data object");
    }
    JsonNode nested = d.path("data");
    String taskId = checkTaskId(text(d, "task_id").orElse(requestedTaskId));
    if (requestedTaskId != null && !taskId.equals(requestedTaskId)) {
      throw new ProviderAnswerException("feed answer is for another task than the one asked for");
    }
    String rawStatus = resolveStatus(d, nested);
    TaskStatus status = normaliser.normalise(rawStatus);
    Optional<URI> video = videoUrl(d, nested);
    if (status == TaskStatus.SUCCEEDED && video.isEmpty()) {
      throw new ProviderAnswerException("task reported succeeded without a usable output URL");
    }
    Optional<TaskFailure> failure =
        status == TaskStatus.FAILED || status == TaskStatus.CANCELLED
            ? Optional.of(failure(d, nested, status, rawStatus))
            : Optional.empty();
    return new TaskSnapshot(
        taskId,
        status,
        rawStatus,
        video,
        text(d, "poster").flatMap(AnswerFields::httpUrl),
        text(d, "last_frame").flatMap(AnswerFields::httpUrl),
        failure,
        text(d, "prompt"),
        text(d, "prompt_en"),
        progress(d.path("progress")).or(() -> progress(nested.path("progress"))),
        firstTime(d.path("create_time"), d.path("submit_time"), nested.path("createdAt")),
        firstTime(d.path("update_time"), d.path("finish_time"), d.path("start_time")));
  }

  private JsonNode readObject(String body) throws ProviderAnswerException {
    if (body == null || body.isBlank()) {
      throw new ProviderAnswerException("answer body is empty");
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      // the parser's own message would quote the body: report only where it broke
      String where =
          e.getLocation() == null
              ? ""
              : " (at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr()
                  + ")";
      throw new ProviderAnswerException("answer is not valid JSON" + where);
    }
    if (root == null || !root.isObject()) {
      throw new ProviderAnswerException("answer is not a JSON object");
    }
    return root;
  }

  private static Optional<GatewayError> errorOf(JsonNode root) {
    JsonNode error = root.get("error");
    if (error == null || error.isNull()) {
      return Optional.empty();
    }
    if (error.isObject()) {
      return Optional.of(
          new GatewayError(
              text(error, "message").orElse(""),
              text(error, "type").orElse(""),
              text(error, "code").orElse("")));
    }
    return Optional.of(new GatewayError(error.asText(""), "", ""));
  }

  private static boolean isOkCode(JsonNode code) {
    if (code.isIntegralNumber()) {
      return code.canConvertToInt() && code.intValue() == 200;
    }
    String text = code.asText("").strip();
    return text.equals("200") || text.equalsIgnoreCase("success");
  }

  private static String checkTaskId(String id) throws ProviderAnswerException {
    if (id == null || id.isBlank()) {
      throw new ProviderAnswerException("answer has no task id");
    }
    if (id.length() > MAX_TASK_ID_CHARS || id.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
      throw new ProviderAnswerException("answer has a malformed task id");
    }
    return id;
  }

  /** The first known status among data.status, nested data.status, data.state. */
  private String resolveStatus(JsonNode d, JsonNode nested) throws ProviderAnswerException {
    List<String> raws =
        Stream.of(text(d, "status"), text(nested, "status"), text(d, "state"))
            .flatMap(Optional::stream)
            .toList();
    if (raws.isEmpty()) {
      throw new ProviderAnswerException("feed answer has no task status");
    }
    for (String raw : raws) {
      if (normaliser.normalise(raw) != TaskStatus.UNKNOWN) {
        return raw;
      }
    }
    return raws.get(0);
  }

  private static Optional<URI> videoUrl(JsonNode d, JsonNode nested) {
    JsonNode output = nested.path("output");
    Optional<String> firstOutput =
        output.isArray() && !output.isEmpty() ? text(output.get(0)) : Optional.empty();
    return Stream.of(text(d, "result_url"), text(d, "video_url"), firstOutput)
        .flatMap(Optional::stream)
        .map(AnswerFields::httpUrl)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private TaskFailure failure(JsonNode d, JsonNode nested, TaskStatus status, String raw) {
    List<String> parts = new ArrayList<>();
    Stream.of(
            text(nested, "failureCode"),
            text(d, "fail_reason"),
            text(nested, "failure"),
            text(d, "msg"),
            text(d, "message"))
        .flatMap(Optional::stream)
        .filter(p -> !parts.contains(p))
        .forEach(parts::add);
    boolean moderation = parts.stream().anyMatch(ProviderAnswerParser::isModeration);
    // what the provider says about the credits wins; without a word, the classic "2" (failed,
    // refunded) and any failure that is not moderation count as refunded, as the contract says
    JsonNode said = d.hasNonNull("refund") ? d.get("refund") : d.path("refunded");
    boolean refunded =
        said.isMissingNode() || said.isNull()
            ? raw.strip().equals("2") || !moderation
            : isTrue(said);
    String reason =
        parts.isEmpty()
            ? (status == TaskStatus.CANCELLED ? "cancelled" : "no reason given")
            : String.join("; ", parts);
    reason = redactor.redact(reason);
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS) + "...";
    }
    return new TaskFailure(moderation, refunded, reason);
  }

  static boolean isModeration(String reason) {
    String upper = reason.strip().toUpperCase(Locale.ROOT);
    String lower = upper.toLowerCase(Locale.ROOT);
    return upper.startsWith("SAFETY.")
        || upper.contains(".SAFETY.")
        || lower.contains("content")
        || lower.contains("moderat");
  }
}
