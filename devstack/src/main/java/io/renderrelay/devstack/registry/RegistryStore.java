package io.renderrelay.devstack.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * In-memory state of the embedded registry: schemas with global increasing ids, subjects with their
 * versions, and compatibility levels. A schema's identity is its Avro JSON form as printed by
 * {@link Schema#toString()} (whitespace and attribute order normalized, docs and defaults kept),
 * the same form Confluent's client sends. All methods are synchronized.
 */
final class RegistryStore {

  /** One registered schema. */
  record Stored(int id, String canonical, Schema schema) {}

  /** One version of a subject. */
  record Version(String subject, int version, int id, String schema) {}

  private final List<Stored> byId = new ArrayList<>();
  private final Map<String, Integer> idByCanonical = new HashMap<>();
  private final TreeMap<String, List<Integer>> subjects = new TreeMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;

  /** Registers under the subject; returns the existing id for an identical schema. */
  synchronized int register(String subject, String schemaText) {
    Schema schema = parse(schemaText);
    String canonical = schema.toString();
    List<Integer> versions = subjects.get(subject);
    Integer known = idByCanonical.get(canonical);
    if (versions != null && known != null && versions.contains(known)) {
      return known;
    }
    List<String> problems = level(subject).check(schema, schemas(versions));
    if (!problems.isEmpty()) {
      throw new RegistryException(
          409,
          409,
          "Schema being registered is incompatible with an"
              + " earlier schema for subject \""
              + subject
              + "\" (compatibility "
              + level(subject)
              + "), details: "
              + problems);
    }
    int id = known != null ? known : add(canonical, schema);
    subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  /** Finds the version of the subject holding this schema. */
  synchronized Version lookup(String subject, String schemaText) {
    List<Integer> versions = existing(subject);
    String canonical = parse(schemaText).toString();
    Integer id = idByCanonical.get(canonical);
    int index = id == null ? -1 : versions.indexOf(id);
    if (index < 0) {
      throw RegistryException.schemaNotFound(
          "the schema is not registered under subject '" + subject + "'");
    }
    return new Version(subject, index + 1, id, canonical);
  }

  synchronized Stored byId(int id) {
    if (id < 1 || id > byId.size()) {
      throw RegistryException.schemaNotFound("schema id " + id + " is unknown");
    }
    return byId.get(id - 1);
  }

  synchronized List<String> subjectsOf(int id) {
    byId(id);
    return subjects.entrySet().stream()
        .filter(e -> e.getValue().contains(id))
        .map(Map.Entry::getKey)
        .toList();
  }

  synchronized List<String> subjects() {
    return List.copyOf(subjects.keySet());
  }

  synchronized List<Integer> versions(String subject) {
    int n = existing(subject).size();
    List<Integer> out = new ArrayList<>(n);
    for (int v = 1; v <= n; v++) {
      out.add(v);
    }
    return out;
  }

  synchronized Version version(String subject, String version) {
    List<Integer> versions = existing(subject);
    int v =
        "latest".equals(version) || "-1".equals(version) ? versions.size() : parseVersion(version);
    if (v < 1 || v > versions.size()) {
      throw RegistryException.versionNotFound(subject, version);
    }
    int id = versions.get(v - 1);
    return new Version(subject, v, id, byId.get(id - 1).canonical());
  }

  /** Hard-deletes the subject; returns the versions it had. */
  synchronized List<Integer> deleteSubject(String subject) {
    List<Integer> versions = versions(subject);
    subjects.remove(subject);
    subjectLevels.remove(subject);
    return versions;
  }

  /**
   * Incompatibilities of the schema against the subject under its level ({@code latest}: the
   * level's own scope; a number: that version only). Empty when compatible or no version exists.
   */
  synchronized List<String> testCompatibility(String subject, String version, String schemaText) {
    Schema schema = parse(schemaText);
    List<Integer> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      if (!"latest".equals(version)) {
        throw RegistryException.subjectNotFound(subject);
      }
      return List.of();
    }
    List<Schema> against =
        "latest".equals(version)
            ? schemas(versions)
            : List.of(byId.get(version(subject, version).id() - 1).schema());
    return level(subject).check(schema, against);
  }

  synchronized CompatibilityLevel globalLevel() {
    return globalLevel;
  }

  synchronized void setGlobalLevel(CompatibilityLevel level) {
    globalLevel = level;
  }

  synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  synchronized void setSubjectLevel(String subject, CompatibilityLevel level) {
    subjectLevels.put(subject, level);
  }

  synchronized Optional<CompatibilityLevel> deleteSubjectLevel(String subject) {
    return Optional.ofNullable(subjectLevels.remove(subject));
  }

  private CompatibilityLevel level(String subject) {
    return subjectLevels.getOrDefault(subject, globalLevel);
  }

  private int add(String canonical, Schema schema) {
    int id = byId.size() + 1;
    byId.add(new Stored(id, canonical, schema));
    idByCanonical.put(canonical, id);
    return id;
  }

  private List<Schema> schemas(List<Integer> ids) {
    return ids == null ? List.of() : ids.stream().map(i -> byId.get(i - 1).schema()).toList();
  }

  private List<Integer> existing(String subject) {
    List<Integer> versions = subjects.get(subject);
    if (versions == null) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions;
  }

  private static int parseVersion(String version) {
    try {
      return Integer.parseInt(version);
    } catch (NumberFormatException e) {
      throw RegistryException.invalidVersion(version);
    }
  }

  private static Schema parse(String text) {
    if (text == null || text.isBlank()) {
      throw RegistryException.invalidSchema("the request has no 'schema' field");
    }
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException | org.apache.avro.AvroTypeException e) {
      throw RegistryException.invalidSchema(e.getMessage());
    } catch (RuntimeException e) {
      throw RegistryException.invalidSchema(e.toString());
    }
  }
}
