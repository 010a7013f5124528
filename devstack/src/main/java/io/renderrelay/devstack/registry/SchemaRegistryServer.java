package io.renderrelay.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded, in-memory schema registry speaking the subset of the Confluent REST API that Kafka
 * Avro serdes use: register, lookup, schema by id, subjects and versions, compatibility tests and
 * compatibility configuration (default BACKWARD). Binds to 127.0.0.1 and serves requests on virtual
 * threads. Optionally requires HTTP basic auth; {@link #failNextRequests(int)} injects 5xx answers
 * for retry tests and chaos runs.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);

  private final int requestedPort;
  private final byte[] expectedAuthorization;
  private final RegistryStore store = new RegistryStore();
  private final RegistryRoutes routes;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicInteger injectedFailures = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private HttpServer server;
  private ExecutorService executor;

  /** A server without authentication; port 0 picks a free port. */
  public SchemaRegistryServer(int port) {
    this(port, Optional.empty());
  }

  /**
   * A server that, when {@code basicAuthUserInfo} ({@code user:password}) is present, answers 401
   * to requests without these basic-auth credentials.
   */
  public SchemaRegistryServer(int port, Optional<String> basicAuthUserInfo) {
    this.requestedPort = port;
    this.expectedAuthorization =
        basicAuthUserInfo
            .map(
                u ->
                    ("Basic "
                            + Base64.getEncoder()
                                .encodeToString(u.getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8))
            .orElse(null);
    this.routes = new RegistryRoutes(store, json);
  }

  /** Binds and starts serving; returns this. */
  public synchronized SchemaRegistryServer start() {
    if (server != null) {
      throw new IllegalStateException("Schema registry already started on " + url());
    }
    try {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 64);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot bind schema registry to 127.0.0.1:" + requestedPort + ": " + e.getMessage(), e);
    }
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    log.info("Schema registry listening on {}", url());
    return this;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** The bound port. */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("Schema registry not started");
    }
    return server.getAddress().getPort();
  }

  /** Answers the next {@code count} requests with HTTP 500 (error_code 50001). */
  void failNextRequests(int count) {
    injectedFailures.set(count);
  }

  /** Number of requests received so far (including refused ones). */
  long requestCount() {
    return requests.get();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.stop(0);
      executor.close();
      server = null;
      log.info("Schema registry stopped");
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      int status;
      JsonNode body;
      try {
        authorize(exchange);
        if (injectedFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          throw new RegistryException(500, 50001, "Injected failure (failNextRequests)");
        }
        String path = exchange.getRequestURI().getRawPath();
        List<String> segments =
            Arrays.stream(path.split("/"))
                .filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8))
                .toList();
        JsonNode request = readBody(exchange.getRequestBody());
        body = routes.route(exchange.getRequestMethod(), segments, query(exchange), request);
        status = 200;
      } catch (RegistryException e) {
        status = e.httpStatus();
        body = error(e.errorCode(), e.getMessage());
      } catch (RuntimeException e) {
        log.warn(
            "Schema registry failed on {} {}",
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            e);
        status = 500;
        body = error(50001, "Error in the backend data store: " + e);
      }
      byte[] bytes = json.writeValueAsBytes(body);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      if (status == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"schema-registry\"");
      }
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  private void authorize(HttpExchange exchange) {
    if (expectedAuthorization == null) {
      return;
    }
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    if (given == null
        || !MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8))) {
      throw new RegistryException(401, 401, "Unauthorized: valid basic-auth credentials required");
    }
  }

  private JsonNode readBody(InputStream in) {
    try {
      byte[] bytes = in.readAllBytes();
      return bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
    } catch (IOException e) {
      throw new RegistryException(422, 42201, "Request body is not valid JSON: " + e.getMessage());
    }
  }

  private static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> out = new HashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        out.put(
            URLDecoder.decode(k, StandardCharsets.UTF_8),
            URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private ObjectNode error(int code, String message) {
    ObjectNode n = json.createObjectNode();
    n.put("error_code", code);
    n.put("message", message);
    return n;
  }
}
