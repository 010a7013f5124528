package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Builds the JSON bodies of the provider API in both answer formats. */
final class FeedAnswers {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

  private FeedAnswers() {}

  /** The task object ({@code data}) of a feed answer or callback. */
  static ObjectNode data(SimTask t, Instant now, AnswerFormat format, String outputBase) {
    TaskPhase phase = t.phaseAt(now);
    return format == AnswerFormat.CLASSIC
        ? classic(t, phase, outputBase)
        : modern(t, phase, outputBase);
  }

  /** Wraps a task object in the envelope of {@code format}. */
  static ObjectNode envelope(AnswerFormat format, ObjectNode data, double execTime) {
    ObjectNode root = NODES.objectNode();
    if (format == AnswerFormat.CLASSIC) {
      root.put("code", 200);
      root.put("msg", "success");
      root.set("data", data);
      root.put("exec_time", execTime);
    } else {
      root.put("code", "success");
      root.put("message", "");
      root.set("data", data);
    }
    return root;
  }

  /** A submit answer: always the classic envelope, data carrying task_id plus {@code fields}. */
  static ObjectNode submitted(String taskId, ObjectNode fields, double execTime) {
    ObjectNode data = NODES.objectNode();
    data.put("task_id", taskId);
    if (fields != null) {
      fields.properties().forEach(e -> data.set(e.getKey(), e.getValue()));
    }
    return envelope(AnswerFormat.CLASSIC, data, execTime);
  }

  /** The gateway's error body. */
  static ObjectNode error(String message, String code) {
    ObjectNode err = NODES.objectNode();
    err.put("message", message);
    err.put("type", "comet_api_error");
    err.put("code", code);
    ObjectNode root = NODES.objectNode();
    root.set("error", err);
    return root;
  }

  /** URL of one output of a task. */
  static String outputUrl(String base, String taskId, OutputKind kind) {
    return base + "/files/" + taskId + "/" + kind.fileName();
  }

  private static ObjectNode classic(SimTask t, TaskPhase phase, String base) {
    ObjectNode d = NODES.objectNode();
    d.put("task_id", t.taskId());
    d.put("state", phase instanceof TaskPhase.Succeeded ? "succeeded" : "");
    d.put("status", status(t, phase, "0", "1", "2", "3"));
    d.put("prompt", t.prompt());
    d.put("prompt_en", t.prompt());
    boolean ok = phase instanceof TaskPhase.Succeeded;
    d.put("video_url", ok ? outputUrl(base, t.taskId(), OutputKind.VIDEO) : "");
    d.put("last_frame", ok ? outputUrl(base, t.taskId(), OutputKind.LAST_FRAME) : "");
    d.put("poster", ok ? outputUrl(base, t.taskId(), OutputKind.POSTER) : "");
    d.put("msg", phase instanceof TaskPhase.Failed f ? f.reason() : "");
    d.put("create_time", Long.toString(t.submittedAt().getEpochSecond()));
    d.put("update_time", Long.toString(lastChange(t, phase).getEpochSecond()));
    d.put("progress", progress(phase));
    if (phase instanceof TaskPhase.Failed f) {
      d.put("refund", f.moderation() ? 0 : 1);
    }
    return d;
  }

  private static ObjectNode modern(SimTask t, TaskPhase phase, String base) {
    ObjectNode d = NODES.objectNode();
    d.put("task_id", t.taskId());
    d.put("action", t.kind().action());
    d.put("status", status(t, phase, "QUEUED", "IN_PROGRESS", "FAILURE", "SUCCESS"));
    d.put("fail_reason", phase instanceof TaskPhase.Failed f ? f.reason() : "");
    d.put("progress", progress(phase) + "%");
    d.put("submit_time", t.submittedAt().getEpochSecond());
    boolean started = phase instanceof TaskPhase.Running || phase.terminal();
    d.put("start_time", started ? t.startedAt().getEpochSecond() : 0);
    d.put("finish_time", phase.terminal() ? t.finishedAt().getEpochSecond() : 0);
    String video = outputUrl(base, t.taskId(), OutputKind.VIDEO);
    boolean ok = phase instanceof TaskPhase.Succeeded;
    int variant = Math.floorMod(t.taskId().hashCode(), 3);
    if (ok && variant == 0) {
      d.put("result_url", video);
    } else if (ok && variant == 1) {
      d.put("video_url", video);
    }
    ObjectNode runway = d.putObject("data");
    runway.put("id", t.runwayId());
    runway.put("status", status(t, phase, "PENDING", "RUNNING", "FAILED", "SUCCEEDED"));
    runway.put("createdAt", ISO.format(t.submittedAt()));
    if (ok) {
      runway.putArray("output").add(video);
    }
    if (phase instanceof TaskPhase.Failed f) {
      runway.put("failure", f.reason());
      int colon = f.reason().indexOf(':');
      runway.put("failureCode", colon > 0 ? f.reason().substring(0, colon) : "INTERNAL");
    }
    return d;
  }

  private static String status(
      SimTask t, TaskPhase p, String queued, String running, String failed, String ok) {
    if (t.unknownStatus() != null && !p.terminal()) {
      return t.unknownStatus();
    }
    return switch (p) {
      case TaskPhase.NotVisible n -> queued;
      case TaskPhase.Queued q -> queued;
      case TaskPhase.Running r -> running;
      case TaskPhase.Failed f -> failed;
      case TaskPhase.Succeeded s -> ok;
    };
  }

  private static int progress(TaskPhase p) {
    return switch (p) {
      case TaskPhase.Running r -> r.progressPercent();
      case TaskPhase.Succeeded s -> 100;
      default -> 0;
    };
  }

  private static Instant lastChange(SimTask t, TaskPhase p) {
    return switch (p) {
      case TaskPhase.Running r -> t.startedAt();
      case TaskPhase.Succeeded s -> s.finishedAt();
      case TaskPhase.Failed f -> f.finishedAt();
      default -> t.submittedAt();
    };
  }
}
