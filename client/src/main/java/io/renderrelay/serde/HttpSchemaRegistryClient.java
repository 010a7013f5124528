package io.renderrelay.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

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

  private record SubjectSchema(String subject, Schema schema) {}

  private final RegistryClientConfig config;
  private final RegistryTransport transport;
  private final ObjectMapper json = new ObjectMapper();
  private final BoundedCache<Integer, Schema> schemasById;
  private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;

  /** Creates a client; it opens connections lazily. */
  public HttpSchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    this.transport = new RegistryTransport(config);
    this.schemasById = new BoundedCache<>(config.cacheCapacity());
    this.idsBySubjectSchema = new BoundedCache<>(config.cacheCapacity());
  }

  @Override
  public int register(String subject, Schema schema) {
    return idOf(subject, schema, "/versions", "register");
  }

  @Override
  public int getId(String subject, Schema schema) {
    return idOf(subject, schema, "", "look up");
  }

  /** The id of {@code schema} under {@code subject}: cached, else POSTed to the subject path. */
  private int idOf(String subject, Schema schema, String pathSuffix, String action) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        transport.send(
            "POST",
            "/subjects/" + encode(subject) + pathSuffix,
            schemaBody(schema),
            action + " schema " + schema.getFullName() + " under subject '" + subject + "'");
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
      answer = transport.send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
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
          transport.send(
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
    JsonNode answer = transport.send("GET", "/subjects", null, "list subjects");
    List<String> out = new ArrayList<>();
    answer.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  @Override
  public void close() {
    transport.close();
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

  private static int requiredInt(JsonNode answer, String field) {
    JsonNode n = answer.get(field);
    if (n == null || !n.canConvertToInt()) {
      throw new SchemaRegistrationException(
          "Schema registry answer lacks an integer '" + field + "' field", 200, -1);
    }
    return n.intValue();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
