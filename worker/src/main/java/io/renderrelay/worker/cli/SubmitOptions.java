package io.renderrelay.worker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Option;

/** Options both {@code submit} commands take (a picocli mixin), and the JSON they start from. */
final class SubmitOptions {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(
      names = "--file",
      paramLabel = "CMD.JSON",
      description =
          "Read the command from a JSON file whose fields are the Avro schema's (flags given too"
              + " override its fields).")
  Path file;

  @Option(
      names = "--job-id",
      paramLabel = "ID",
      description = "The jobId (the key and idempotency key); default: a random UUID.")
  String jobId;

  @Option(
      names = "--output-prefix",
      paramLabel = "PREFIX",
      description = "S3 key prefix below the worker's root.")
  String outputPrefix;

  @Option(
      names = "--metadata",
      paramLabel = "KEY=VALUE",
      description = "Caller metadata, echoed in the terminal event (repeatable).")
  Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--deadline",
      paramLabel = "TIME",
      description =
          "Absolute deadline: ISO-8601, epoch millis, or relative (90m, 2h = from now); default"
              + " the worker's.")
  String deadline;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = TimeConverters.Span.class,
      description = "How long to wait for the broker to acknowledge (default ${DEFAULT-VALUE}).")
  java.time.Duration timeout;

  /**
   * The command as JSON: the file (if any), then the common flags, then jobId and requestedAt
   * filled in when still missing.
   */
  ObjectNode json(Clock clock, Map<String, Object> typeFlags) {
    ObjectNode node = file == null ? JSON.createObjectNode() : readFile(file);
    if (jobId != null) {
      node.put("jobId", jobId);
    }
    if (outputPrefix != null) {
      node.put("outputPrefix", outputPrefix);
    }
    if (deadline != null) {
      node.put("deadline", deadline);
    }
    if (!metadata.isEmpty()) {
      ObjectNode m =
          node.has("metadata") && node.get("metadata").isObject()
              ? (ObjectNode) node.get("metadata")
              : node.putObject("metadata");
      metadata.forEach(m::put);
    }
    typeFlags.forEach((path, value) -> set(node, path, value));
    if (!node.hasNonNull("jobId")) {
      node.put("jobId", UUID.randomUUID().toString());
    }
    if (!node.has("requestedAt")) {
      node.put("requestedAt", clock.millis());
    }
    return node;
  }

  /** Sets {@code a.b} paths; a null value leaves the field alone. */
  private static void set(ObjectNode node, String path, Object value) {
    if (value == null) {
      return;
    }
    int dot = path.indexOf('.');
    if (dot > 0) {
      String head = path.substring(0, dot);
      ObjectNode child =
          node.has(head) && node.get(head).isObject()
              ? (ObjectNode) node.get(head)
              : node.putObject(head);
      set(child, path.substring(dot + 1), value);
      return;
    }
    node.set(path, JSON.valueToTree(value));
  }

  static ObjectNode readFile(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CliException(
          "cannot read " + file + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (n == null || !n.isObject()) {
      throw new CliException(file + ": expected a JSON object with the command's fields");
    }
    return (ObjectNode) n;
  }
}
