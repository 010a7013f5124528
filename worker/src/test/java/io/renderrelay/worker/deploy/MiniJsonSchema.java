package io.renderrelay.worker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The subset of JSON Schema (draft-07) that values.schema.json uses: type, required, properties,
 * additionalProperties, propertyNames, enum, not, items, minimum, maximum, minLength, pattern and
 * local $ref. Helm applies the full schema in HelmChartIT; this keeps the fast tests honest about
 * values.yaml without a validator library. An unsupported keyword fails loudly.
 */
final class MiniJsonSchema {
  private static final Set<String> SUPPORTED =
      Set.of(
          "$schema",
          "title",
          "description",
          "definitions",
          "type",
          "required",
          "properties",
          "additionalProperties",
          "propertyNames",
          "enum",
          "not",
          "items",
          "minimum",
          "maximum",
          "minLength",
          "pattern",
          "$ref");

  private final JsonNode root;

  MiniJsonSchema(JsonNode root) {
    this.root = root;
  }

  /** Violations of {@code value}, each with its JSON pointer; empty when valid. */
  List<String> validate(JsonNode value) {
    List<String> out = new ArrayList<>();
    check(root, value, "", out);
    return out;
  }

  private void check(JsonNode schema, JsonNode value, String at, List<String> out) {
    if (schema.isBoolean()) {
      if (!schema.asBoolean()) {
        out.add(at + ": not allowed");
      }
      return;
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String keyword = it.next();
      if (!SUPPORTED.contains(keyword)) {
        throw new IllegalArgumentException("unsupported schema keyword " + keyword + " at " + at);
      }
    }
    if (schema.has("$ref")) {
      check(resolve(schema.get("$ref").asText()), value, at, out);
    }
    if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
      out.add(at + ": expected " + schema.get("type") + " but was " + value.getNodeType());
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      out.add(at + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("not") && validate(schema.get("not"), value).isEmpty()) {
      out.add(at + ": " + value + " matches a forbidden schema " + schema.get("not"));
    }
    checkScalar(schema, value, at, out);
    if (value.isObject()) {
      checkObject(schema, value, at, out);
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), at + "/" + i, out);
      }
    }
  }

  private List<String> validate(JsonNode schema, JsonNode value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "", out);
    return out;
  }

  private void checkScalar(JsonNode schema, JsonNode value, String at, List<String> out) {
    if (value.isNumber()
        && schema.has("minimum")
        && value.asDouble() < schema.get("minimum").asDouble()) {
      out.add(at + ": " + value + " < minimum " + schema.get("minimum"));
    }
    if (value.isNumber()
        && schema.has("maximum")
        && value.asDouble() > schema.get("maximum").asDouble()) {
      out.add(at + ": " + value + " > maximum " + schema.get("maximum"));
    }
    if (value.isTextual()
        && schema.has("minLength")
        && value.asText().length() < schema.get("minLength").asInt()) {
      out.add(at + ": shorter than " + schema.get("minLength"));
    }
    if (value.isTextual()
        && schema.has("pattern")
        && !Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
      out.add(at + ": '" + value.asText() + "' does not match " + schema.get("pattern").asText());
    }
  }

  private void checkObject(JsonNode schema, JsonNode value, String at, List<String> out) {
    for (JsonNode required : schema.path("required")) {
      if (!value.has(required.asText())) {
        out.add(at + ": missing required property " + required.asText());
      }
    }
    JsonNode properties = schema.path("properties");
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String where = at + "/" + field.getKey();
      if (schema.has("propertyNames")) {
        check(
            schema.get("propertyNames"), TextNode.valueOf(field.getKey()), where + " (name)", out);
      }
      if (properties.has(field.getKey())) {
        check(properties.get(field.getKey()), field.getValue(), where, out);
      } else if (schema.has("additionalProperties")) {
        check(schema.get("additionalProperties"), field.getValue(), where, out);
      }
    }
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local $ref are supported: " + ref);
    }
    JsonNode target = root.at(ref.substring(1));
    if (target.isMissingNode()) {
      throw new IllegalArgumentException("unresolved $ref " + ref);
    }
    return target;
  }

  private static boolean typeMatches(JsonNode type, JsonNode value) {
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (typeMatches(t, value)) {
          return true;
        }
      }
      return false;
    }
    return switch (type.asText()) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "boolean" -> value.isBoolean();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "null" -> value.isNull();
      default -> throw new IllegalArgumentException("unknown type " + type);
    };
  }

  private static boolean contains(JsonNode options, JsonNode value) {
    for (JsonNode option : options) {
      if (option.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
