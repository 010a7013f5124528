package io.renderrelay.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One REST call to the schema registry: connect errors, timeouts and 5xx answers are retried with
 * exponential backoff, each attempt on the next base URL; 4xx answers are not retried. Credentials
 * go into the Authorization header only and never into messages.
 */
final class RegistryTransport implements AutoCloseable {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger log = LoggerFactory.getLogger(RegistryTransport.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final AtomicInteger nextUrl = new AtomicInteger();

  RegistryTransport(RegistryClientConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.authorization =
        config
            .basicAuthUserInfo()
            .map(
                u ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)))
            .or(() -> config.bearerToken().map(t -> "Bearer " + t))
            .orElse(null);
  }

  /** Sends with retries; returns the JSON body of a 2xx answer, throws on anything else. */
  JsonNode send(String method, String path, String body, String what) {
    List<URI> urls = config.baseUrls();
    int start = Math.floorMod(nextUrl.getAndIncrement(), urls.size());
    String lastError = "no attempt made";
    Throwable lastCause = null;
    int attempts = config.maxRetries() + 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      URI base = urls.get((start + attempt) % urls.size());
      if (attempt > 0) {
        sleepBackoff(attempt, what);
      }
      try {
        HttpResponse<String> response =
            http.send(
                request(method, base, path, body),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return readJson(response.body(), base, what);
        }
        RegistryError error = RegistryError.parse(json, status, response.body());
        if (status < 500) {
          throw new SchemaRegistrationException(
              "Schema registry "
                  + base
                  + " refused to "
                  + what
                  + ": HTTP "
                  + status
                  + " error_code "
                  + error.code()
                  + ": "
                  + error.message(),
              status,
              error.code());
        }
        lastError = "HTTP " + status + " from " + base + ": " + error.message();
        lastCause = null;
      } catch (IOException e) {
        lastError =
            e.getClass().getSimpleName()
                + " from "
                + base
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        lastCause = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("Interrupted while trying to " + what, e);
      }
      log.debug(
          "Schema registry attempt {}/{} to {} failed: {}", attempt + 1, attempts, what, lastError);
    }
    throw new RegistryUnavailableException(
        "Schema registry unavailable: could not "
            + what
            + " after "
            + attempts
            + " attempt(s) over "
            + urls
            + "; last error: "
            + lastError,
        lastCause);
  }

  private HttpRequest request(String method, URI base, String path, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return b.build();
  }

  private JsonNode readJson(String body, URI base, String what) {
    try {
      return json.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RegistryUnavailableException(
          "Schema registry " + base + " answered with invalid JSON while trying to " + what, e);
    }
  }

  private void sleepBackoff(int attempt, String what) {
    long base = config.retryBackoff().toMillis();
    long millis = Math.min(MAX_BACKOFF.toMillis(), base << Math.min(attempt - 1, 20));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("Interrupted while waiting to retry: " + what, e);
    }
  }

  @Override
  public void close() {
    http.close();
  }

  /** A parsed Confluent error body {@code {"error_code":..,"message":..}}. */
  record RegistryError(int code, String message) {
    static RegistryError parse(ObjectMapper json, int status, String body) {
      try {
        JsonNode n = json.readTree(body == null ? "" : body);
        if (n != null && n.isObject()) {
          return new RegistryError(
              n.path("error_code").asInt(status), n.path("message").asText("(no message)"));
        }
      } catch (JsonProcessingException e) {
        // fall through: not a Confluent error body
      }
      String text = body == null || body.isBlank() ? "(empty body)" : body.strip();
      return new RegistryError(status, text.length() > 200 ? text.substring(0, 200) + "..." : text);
    }
  }
}
