package io.renderrelay.worker.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the worker's listeners share: JSON answers, HEAD handling, and a guard around handlers. */
final class HttpExchanges {
  static final String JSON = "application/json";
  private static final Logger log = LoggerFactory.getLogger(HttpExchanges.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private HttpExchanges() {}

  /** A handler body that may fail with an IOException. */
  interface Exchange {
    void run() throws IOException;
  }

  /** Runs {@code body}, answers 500 when it fails, always closes the exchange. */
  static void safely(HttpExchange ex, Exchange body) {
    try (ex) {
      body.run();
    } catch (IOException | RuntimeException e) {
      log.warn(
          "HTTP {} {} failed: {}",
          ex.getRequestMethod(),
          ex.getHttpContext().getPath(),
          e.getClass().getSimpleName());
      try {
        send(ex, 500, JSON, resultBody("internal error"));
      } catch (IOException | RuntimeException ignored) {
        // response already started or connection gone
      }
    }
  }

  /** {@code {"result": message}}. */
  static byte[] resultBody(String message) throws IOException {
    return MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("result", message));
  }

  /** True for GET and HEAD; answers 405 otherwise. */
  static boolean isRead(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    ex.getResponseHeaders().set("Allow", "GET, HEAD");
    send(ex, 405, JSON, resultBody("method not allowed"));
    return false;
  }

  static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }
}
