package io.renderrelay.devstack.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Maps Confluent REST requests onto {@link RegistryStore} operations and JSON answers. */
final class RegistryRoutes {

  private final RegistryStore store;
  private final ObjectMapper json;

  RegistryRoutes(RegistryStore store, ObjectMapper json) {
    this.store = store;
    this.json = json;
  }

  JsonNode route(String method, List<String> p, Map<String, String> query, JsonNode body) {
    int n = p.size();
    String first = n == 0 ? "" : p.get(0);
    return switch (method + " " + first + "/" + n) {
      case "GET /0" -> json.createObjectNode();
      case "GET subjects/1" -> array(store.subjects());
      case "POST subjects/2" -> version(store.lookup(p.get(1), schemaOf(body)));
      case "DELETE subjects/2" -> array(store.deleteSubject(p.get(1)));
      case "GET subjects/3" -> versionsOf(p);
      case "POST subjects/3" -> register(p, body);
      case "GET subjects/4" -> versionOf(p);
      case "GET subjects/5" -> schemaOfVersion(p);
      case "GET schemas/3" -> schemaById(p);
      case "GET schemas/4" -> subjectsOfId(p);
      case "POST compatibility/5" -> compatibility(p, query, body);
      case "GET config/1" -> level("compatibilityLevel", store.globalLevel());
      case "PUT config/1" -> setGlobal(body);
      case "GET config/2" -> subjectConfig(p.get(1), query);
      case "PUT config/2" -> setSubject(p.get(1), body);
      case "DELETE config/2" -> deleteSubjectConfig(p.get(1));
      default ->
          throw new RegistryException(
              404, 404, "HTTP 404 Not Found: no route for " + method + " /" + String.join("/", p));
    };
  }

  private JsonNode register(List<String> p, JsonNode body) {
    expect(p, 2, "versions");
    ObjectNode out = json.createObjectNode();
    out.put("id", store.register(p.get(1), schemaOf(body)));
    return out;
  }

  private JsonNode versionsOf(List<String> p) {
    expect(p, 2, "versions");
    return array(store.versions(p.get(1)));
  }

  private JsonNode versionOf(List<String> p) {
    expect(p, 2, "versions");
    return version(store.version(p.get(1), p.get(3)));
  }

  private JsonNode schemaOfVersion(List<String> p) {
    expect(p, 2, "versions");
    expect(p, 4, "schema");
    return json.getNodeFactory().textNode(store.version(p.get(1), p.get(3)).schema());
  }

  private JsonNode schemaById(List<String> p) {
    expect(p, 1, "ids");
    ObjectNode out = json.createObjectNode();
    out.put("schema", store.byId(id(p.get(2))).canonical());
    return out;
  }

  private JsonNode subjectsOfId(List<String> p) {
    expect(p, 1, "ids");
    expect(p, 3, "subjects");
    return array(store.subjectsOf(id(p.get(2))));
  }

  private JsonNode compatibility(List<String> p, Map<String, String> query, JsonNode body) {
    expect(p, 1, "subjects");
    expect(p, 3, "versions");
    List<String> problems = store.testCompatibility(p.get(2), p.get(4), schemaOf(body));
    ObjectNode out = json.createObjectNode();
    out.put("is_compatible", problems.isEmpty());
    if ("true".equals(query.get("verbose"))) {
      out.set("messages", array(problems));
    }
    return out;
  }

  private JsonNode setGlobal(JsonNode body) {
    CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
    store.setGlobalLevel(level);
    return level("compatibility", level);
  }

  private JsonNode subjectConfig(String subject, Map<String, String> query) {
    return store
        .subjectLevel(subject)
        .or(
            () ->
                "true".equals(query.get("defaultToGlobal"))
                    ? java.util.Optional.of(store.globalLevel())
                    : java.util.Optional.empty())
        .map(l -> level("compatibilityLevel", l))
        .orElseThrow(
            () ->
                new RegistryException(
                    404,
                    40408,
                    "Subject '"
                        + subject
                        + "' does not have subject-level compatibility configured"));
  }

  private JsonNode setSubject(String subject, JsonNode body) {
    CompatibilityLevel level = CompatibilityLevel.parse(body.path("compatibility").asText(null));
    store.setSubjectLevel(subject, level);
    return level("compatibility", level);
  }

  private JsonNode deleteSubjectConfig(String subject) {
    CompatibilityLevel previous =
        store
            .deleteSubjectLevel(subject)
            .orElseThrow(() -> RegistryException.subjectNotFound(subject));
    return level("compatibilityLevel", previous);
  }

  private JsonNode version(RegistryStore.Version v) {
    ObjectNode out = json.createObjectNode();
    out.put("subject", v.subject());
    out.put("version", v.version());
    out.put("id", v.id());
    out.put("schema", v.schema());
    return out;
  }

  private ObjectNode level(String field, CompatibilityLevel level) {
    ObjectNode out = json.createObjectNode();
    out.put(field, level.name());
    return out;
  }

  private ArrayNode array(List<?> values) {
    ArrayNode out = json.createArrayNode();
    values.forEach(v -> out.addPOJO(v));
    return out;
  }

  private static String schemaOf(JsonNode body) {
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equalsIgnoreCase(type)) {
      throw RegistryException.invalidSchema("schemaType " + type + " is not supported, only AVRO");
    }
    if (body.path("references").size() > 0) {
      throw RegistryException.invalidSchema("schema references are not supported");
    }
    return body.path("schema").asText(null);
  }

  private static int id(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw RegistryException.schemaNotFound("'" + s + "' is not a schema id");
    }
  }

  private static void expect(List<String> p, int index, String segment) {
    if (!segment.equals(p.get(index))) {
      throw new RegistryException(404, 404, "HTTP 404 Not Found: /" + String.join("/", p));
    }
  }
}
