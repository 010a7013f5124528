package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.time.Duration;
import java.util.Map;

/**
 * The control API for external processes (the chaos script), JSON over HTTP, no authentication (the
 * simulator binds loopback only):
 *
 * <pre>
 * GET    /_sim/counters            counters and paid submissions per job
 * POST   /_sim/reset               zero the counters; body {"faults": true} also clears faults
 * GET    /_sim/faults              every fault knob
 * PUT    /_sim/faults              set knobs, e.g. {"rate429": {"probability": 0.2,
 *                                  "retryAfterSeconds": 1}, "noCredit": true, "rate5xx": null}
 *                                  (a field set to null is cleared; absent fields are kept)
 * DELETE /_sim/faults              clear every knob
 * GET|PUT /_sim/format             {"format": "CLASSIC" | "MODERN"}
 * GET|PUT /_sim/render-time        {"overrideMillis": 0} or {"overrideMillis": null}
 * GET    /_sim/tasks/{taskId}      task state, output URLs, sizes and SHA-256
 * GET    /_sim/jobs/{jobId}/tasks  ids of the tasks created for a job
 * </pre>
 */
final class ControlHandler extends JsonRoute {
  static final String PREFIX = "/_sim/";

  private final SimulatorControl control;

  ControlHandler(SimulatorControl control) {
    super("sim", control.counters());
    this.control = control;
  }

  @Override
  Answer answer(HttpExchange ex) throws Exception {
    String path = ex.getRequestURI().getPath().substring(PREFIX.length());
    String method = ex.getRequestMethod();
    boolean write = "PUT".equals(method) || "POST".equals(method) || "PATCH".equals(method);
    switch (path) {
      case "counters":
        return Answer.of(200, counters());
      case "reset":
        if (!"POST".equals(method)) {
          return methodNotAllowed("POST");
        }
        JsonNode body = readJson(ex);
        control.reset();
        if (body != null && body.path("faults").asBoolean(false)) {
          control.faults().clear();
        }
        return Answer.of(200, counters());
      case "faults":
        if ("DELETE".equals(method)) {
          control.faults().clear();
        } else if (write) {
          FaultPatch.apply(control.faults(), readJson(ex));
        }
        return Answer.of(200, JSON.valueToTree(control.faults().snapshot()));
      case "format":
        if (write) {
          control.answerFormat(enumValue(readJson(ex)));
        }
        return Answer.of(200, JSON.createObjectNode().put("format", control.answerFormat().name()));
      case "render-time":
        if (write) {
          control.renderTimeOverride(override(readJson(ex)));
        }
        Duration d = control.renderTimeOverride();
        ObjectNode rt = JSON.createObjectNode();
        return Answer.of(
            200, d == null ? rt.putNull("overrideMillis") : rt.put("overrideMillis", d.toMillis()));
      default:
        return byId(path);
    }
  }

  private Answer byId(String path) {
    if (path.startsWith("tasks/")) {
      return control
          .task(path.substring("tasks/".length()))
          .map(t -> Answer.of(200, taskJson(t)))
          .orElseGet(() -> notFound("task"));
    }
    if (path.startsWith("jobs/") && path.endsWith("/tasks")) {
      String job = path.substring("jobs/".length(), path.length() - "/tasks".length());
      ObjectNode root = JSON.createObjectNode().put("jobId", job);
      control.taskIdsOfJob(job).forEach(root.putArray("taskIds")::add);
      return Answer.of(200, root);
    }
    return notFound("control path /_sim/" + path);
  }

  private ObjectNode counters() {
    ObjectNode root = JSON.createObjectNode();
    root.put("submits", control.submits());
    root.put("polls", control.polls());
    root.put("fileDownloads", control.fileDownloads());
    root.put("callbacksSent", control.callbacksSent());
    root.put("tasks", control.store().all().size());
    root.set("paidSubmissions", JSON.valueToTree(control.paidSubmissions()));
    root.set("requests", JSON.valueToTree(control.requestsByEndpointAndStatus()));
    return root;
  }

  private static ObjectNode taskJson(SimulatorControl.TaskReport t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("taskId", t.taskId());
    n.put("jobId", t.jobId());
    n.put("kind", t.kind().name());
    n.put("state", t.phase());
    n.put("failReason", t.failReason());
    n.put("submittedAt", t.submittedAt().toString());
    n.put("finishedAt", t.finishedAt().toString());
    ObjectNode outs = n.putObject("outputs");
    for (Map.Entry<OutputKind, SimulatorControl.OutputReport> e : t.outputs().entrySet()) {
      outs.putObject(e.getKey().name())
          .put("url", e.getValue().url())
          .put("sizeBytes", e.getValue().sizeBytes())
          .put("sha256", e.getValue().sha256());
    }
    return n;
  }

  private static AnswerFormat enumValue(JsonNode body) throws BadRequest {
    String v = body == null ? "" : body.path("format").asText("");
    try {
      return AnswerFormat.valueOf(v.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequest("format must be CLASSIC or MODERN, got '" + v + "'", "invalid_request");
    }
  }

  private static Duration override(JsonNode body) throws BadRequest {
    JsonNode v = body == null ? null : body.get("overrideMillis");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.canConvertToLong() || v.asLong() < 0) {
      throw new BadRequest("overrideMillis must be a number >= 0 or null", "invalid_request");
    }
    return Duration.ofMillis(v.asLong());
  }

  /** Applies a partial JSON update to the fault knobs. */
  static final class FaultPatch {
    private FaultPatch() {}

    static void apply(Faults f, JsonNode patch) throws BadRequest {
      if (patch == null || !patch.isObject()) {
        throw new BadRequest("faults body must be a JSON object", "invalid_request");
      }
      for (Map.Entry<String, JsonNode> e : patch.properties()) {
        try {
          set(f, e.getKey(), e.getValue());
        } catch (JsonProcessingException | IllegalArgumentException ex) {
          throw new BadRequest("fault " + e.getKey() + ": " + rootMessage(ex), "invalid_request");
        }
      }
    }

    private static void set(Faults f, String name, JsonNode v)
        throws JsonProcessingException, BadRequest {
      boolean off = v == null || v.isNull();
      switch (name) {
        case "rate429" -> f.rate429(off ? null : JSON.treeToValue(v, Faults.Rate429.class));
        case "rate5xx" -> f.rate5xx(off ? null : JSON.treeToValue(v, Faults.Rate5xx.class));
        case "slowAnswers" ->
            f.slowAnswers(off ? null : JSON.treeToValue(v, Faults.SlowAnswers.class));
        case "failTasks" -> f.failTasks(off ? 0 : number(v));
        case "moderationFailures" ->
            f.moderationFailures(off ? null : JSON.treeToValue(v, Faults.Moderation.class));
        case "loseCallbacks" -> f.loseCallbacks(off ? 0 : number(v));
        case "duplicateCallbacks" -> f.duplicateCallbacks(off ? 0 : number(v));
        case "expireOutputs" ->
            f.expireOutputs(off ? null : JSON.treeToValue(v, Faults.ExpireOutputs.class));
        case "wrongKey" -> f.wrongKey(!off && v.asBoolean());
        case "noCredit" -> f.noCredit(!off && v.asBoolean());
        case "unknownStatus" ->
            f.unknownStatus(off ? null : JSON.treeToValue(v, Faults.UnknownStatus.class));
        case "outputBaseUrl" -> f.outputBaseUrl(off ? null : v.asText());
        case "fileRedirect" -> f.fileRedirect(off ? null : v.asText());
        case "oversize" -> f.oversize(off ? null : JSON.treeToValue(v, Faults.Oversize.class));
        default -> throw new BadRequest("unknown fault '" + name + "'", "invalid_request");
      }
    }

    private static double number(JsonNode v) {
      if (!v.isNumber()) {
        throw new IllegalArgumentException("must be a number (a probability 0..1)");
      }
      return v.asDouble();
    }

    private static String rootMessage(Throwable t) {
      Throwable r = t;
      while (r.getCause() != null) {
        r = r.getCause();
      }
      return r.getMessage();
    }
  }
}
