package io.renderrelay.devstack.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A handler answering JSON; counts every answer under its endpoint name and status. */
abstract class JsonRoute implements HttpHandler {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger log = LoggerFactory.getLogger(JsonRoute.class);
  private static final int MAX_BODY = 1 << 20;

  /** One JSON answer. */
  record Answer(int status, JsonNode body, Map<String, String> headers) {
    static Answer of(int status, JsonNode body) {
      return new Answer(status, body, Map.of());
    }

    Answer withHeader(String name, String value) {
      Map<String, String> h = new LinkedHashMap<>(headers);
      h.put(name, value);
      return new Answer(status, body, h);
    }
  }

  /** A request the route refuses with 400 and the gateway error body. */
  static final class BadRequest extends Exception {
    final String code;

    BadRequest(String message, String code) {
      super(message);
      this.code = code;
    }
  }

  private final String endpoint;
  private final Counters counters;

  JsonRoute(String endpoint, Counters counters) {
    this.endpoint = endpoint;
    this.counters = counters;
  }

  abstract Answer answer(HttpExchange exchange) throws Exception;

  @Override
  public final void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Answer a;
      try {
        a = answer(exchange);
      } catch (BadRequest e) {
        a = Answer.of(400, FeedAnswers.error(e.getMessage(), e.code));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        a = Answer.of(503, FeedAnswers.error("simulator shutting down", "shutdown"));
      } catch (Exception e) {
        log.warn("simulator route {} failed", endpoint, e);
        a = Answer.of(500, FeedAnswers.error("simulator error: " + e.getMessage(), "sim_error"));
      }
      counters.request(endpoint, a.status());
      byte[] body = JSON.writeValueAsBytes(a.body());
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      a.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
      exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
      exchange.getResponseBody().write(body);
    } catch (IOException e) {
      log.debug("simulator route {}: answer not delivered: {}", endpoint, e.toString());
    }
  }

  /** Reads the request body as JSON (an empty body reads as null). */
  static JsonNode readJson(HttpExchange exchange) throws IOException, BadRequest {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new BadRequest("request body larger than 1 MiB", "invalid_request");
    }
    if (bytes.length == 0) {
      return null;
    }
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new BadRequest("request body is not valid JSON", "invalid_request");
    }
  }

  static Answer methodNotAllowed(String allowed) {
    return Answer.of(405, FeedAnswers.error("method not allowed, use " + allowed, "invalid_method"))
        .withHeader("Allow", allowed);
  }

  static Answer notFound(String what) {
    return Answer.of(404, FeedAnswers.error(what + " not found", "not_found"));
  }
}
