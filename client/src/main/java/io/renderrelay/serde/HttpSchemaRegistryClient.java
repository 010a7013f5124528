package io.renderrelay.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API with {@link HttpClient} and Jackson.
 *
 * <p>Answers are cached in bounded caches, so after the first call for a schema no request is made.
 * Connect errors, timeouts and 5xx answers are retried with exponential backoff, each attempt on
 * the next base URL; when all attempts fail a {@link RegistryUnavailableException} is thrown. 4xx
 * answers are not retried. Credentials go into the Authorization header only and never into
 * messages.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private record SubjectSchema(String subject, Schema schema) {}

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final String authorization;
  private final AtomicInteger nextUrl = new AtomicInteger();
  private final BoundedCache<Integer, Schema> schemasById;
  private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

  /** Creates a client; it opens connections lazily. */
  public HttpSchemaRegistryClient(RegistryClientConfig config) {
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
    this.schemasById = new BoundedCache<>(config.cacheCapacity());
    this.idsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        send(
            "POST",
            "/subjects/" + encode(subject) + "/versions",
            schemaBody(schema),
            "register schema " + schema.getFullName() + " under subject '" + subject + "'");
    int id = requiredInt(answer, "id");
    idsBySubjectSchema.put(key, id);
    schemasById.put(id, schema);
    return id;
  }

  @Override
  public int getId(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        send(
            "POST",
            "/subjects/" + encode(subject),
            schemaBody(schema),
            "look up schema " + schema.getFullName() + " under subject '" + subject + "'");
    int id = requiredInt(answer, "id");
    idsBySubjectSchema.put(key, id);
    schemasById.put(id, schema);
    return id;
  }

  @Override
  public Schema getSchemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer;
    try {
      answer = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
    } catch (SchemaRegistrationException e) {
      if (e.httpStatus() == 404) {
        throw new UnknownSchemaIdException(id, e.getMessage());
      }
      throw e;
    }
    Schema schema = parse(answer, id);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    try {
      JsonNode answer =
          send(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(schema),
              "test compatibility of subject '" + subject + "'");
      return answer.path("is_compatible").asBoolean(false);
    } catch (SchemaRegistrationException e) {
      if (e.httpStatus() == 404 && (e.errorCode() == 40401 || e.errorCode() == 40402)) {
        return true; // no version to be incompatible with
      }
      throw e;
    }
  }

  @Override
  public List<String> subjects() {
    JsonNode answer = send("GET", "/subjects", null, "list subjects");
    List<String> out = new ArrayList<>();
    answer.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "HttpSchemaRegistryClient[" + config + "]";
  }

  private Schema parse(JsonNode answer, int id) {
    String type = answer.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new SchemaRegistrationException(
          "Schema id " + id + " is of type " + type + ", this serde reads AVRO only", 200, -1);
    }
    try {
      return new Schema.Parser().parse(answer.path("schema").asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistrationException(
          "Schema id " + id + " returned by the registry does not parse: " + e.getMessage(),
          200,
          -1);
    }
  }

  private String schemaBody(Schema schema) {
    try {
      return json.writeValueAsString(Map.of("schema", schema.toString()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot encode schema as JSON", e);
    }
  }

  /** Sends with retries; returns the JSON body of a 2xx answer, throws on anything else. */
  private JsonNode send(String method, String path, String body, String what) {
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

  private static int requiredInt(JsonNode answer, String field) {
    JsonNode n = answer.get(field);
    if (n == null || !n.canConvertToInt()) {
      throw new SchemaRegistrationException(
          "Schema registry answer lacks an integer '" + field + "' field", 200, -1);
    }
    return n.intValue();
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

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
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
