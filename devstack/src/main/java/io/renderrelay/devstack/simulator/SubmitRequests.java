package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;

/** Validates submit bodies as the gateway does: required fields, types and ranges. */
final class SubmitRequests {
  static final int MAX_PROMPT = 1000;

  /** A valid submit: what the task needs from the body. */
  record Accepted(String callbackUrl, String prompt) {}

  /** Thrown for a body the gateway would refuse with 400. */
  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  private SubmitRequests() {}

  static Accepted validate(JobKind kind, JsonNode body) throws Invalid {
    if (body == null || !body.isObject()) {
      throw new Invalid("request body must be a JSON object");
    }
    String callback = url(body, "callback_url");
    url(body, "video");
    if (kind == JobKind.ACT_ONE) {
      url(body, "image");
      return new Accepted(callback, "");
    }
    text(body, "model", 64);
    String prompt = text(body, "prompt", MAX_PROMPT);
    JsonNode options = body.get("options");
    if (options == null || !options.isObject()) {
      throw new Invalid("options is required and must be an object");
    }
    JsonNode st = options.get("structure_transformation");
    if (st == null || !st.isNumber()) {
      throw new Invalid("options.structure_transformation is required and must be a number");
    }
    if (st.asDouble() < 0 || st.asDouble() > 1) {
      throw new Invalid("options.structure_transformation must be within 0..1");
    }
    JsonNode flip = options.get("flip");
    if (flip != null && !flip.isBoolean()) {
      throw new Invalid("options.flip must be a boolean");
    }
    return new Accepted(callback, prompt);
  }

  private static String text(JsonNode body, String field, int max) throws Invalid {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new Invalid(field + " is required and must be a non-empty string");
    }
    if (node.asText().length() > max) {
      throw new Invalid(field + " is longer than " + max + " characters");
    }
    return node.asText();
  }

  private static String url(JsonNode body, String field) throws Invalid {
    String value = text(body, field, 4096);
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme();
      if (uri.getHost() == null
          || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
        throw new Invalid(field + " must be an absolute http(s) URL");
      }
    } catch (java.net.URISyntaxException e) {
      throw new Invalid(field + " is not a valid URL");
    }
    return value;
  }
}
