package io.renderrelay.avro;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParser;

/**
 * Every released schema set, read from the classpath ({@code io/renderrelay/avro/released/}): the
 * index {@code releases.txt} names each version, oldest first, with the {@code .avsc} files of its
 * directory. Readers of internal records (ledger entries, poll tickets) resolve data written by any
 * released version against the current schema with these; the build's compatibility gate checks
 * that every released version stays readable.
 */
public final class ReleasedSchemas {

  static final String ROOT = "/io/renderrelay/avro/released/";

  private final Map<String, Map<String, Schema>> byVersion;

  private ReleasedSchemas(Map<String, Map<String, Schema>> byVersion) {
    this.byVersion = byVersion;
  }

  /** Loads every version listed in the index on the classpath. */
  public static ReleasedSchemas load() {
    Map<String, Map<String, Schema>> versions = new LinkedHashMap<>();
    for (String line : read("releases.txt").split("\n")) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      String[] parts = entry.split("\\s+");
      versions.put(parts[0], parse(parts[0], Arrays.asList(parts).subList(1, parts.length)));
    }
    if (versions.isEmpty()) {
      throw new IllegalStateException("no released schema version listed in " + ROOT);
    }
    return new ReleasedSchemas(versions);
  }

  /**
   * A copy with one more version, older than every other, holding the given schemas (tests of a
   * schema change simulate the release before it with this).
   */
  public ReleasedSchemas withOlder(String version, List<Schema> schemas) {
    Map<String, Map<String, Schema>> versions = new LinkedHashMap<>();
    Map<String, Schema> named = new LinkedHashMap<>();
    schemas.forEach(s -> named.put(s.getFullName(), s));
    versions.put(version, Map.copyOf(named));
    versions.putAll(byVersion);
    return new ReleasedSchemas(versions);
  }

  /** Released versions, oldest first. */
  public List<String> versions() {
    return List.copyOf(byVersion.keySet());
  }

  /** The named (record, enum) schemas of one released version, by full name. */
  public Map<String, Schema> version(String version) {
    Map<String, Schema> schemas = byVersion.get(version);
    if (schemas == null) {
      throw new IllegalArgumentException(
          "unknown released schema version " + version + "; released: " + versions());
    }
    return schemas;
  }

  /** Every released writer schema of one record, oldest first (versions without it skipped). */
  public List<Schema> writersOf(String fullName) {
    List<Schema> writers = new ArrayList<>();
    byVersion.values().stream()
        .map(v -> v.get(fullName))
        .filter(Objects::nonNull)
        .forEach(writers::add);
    return writers;
  }

  private static Map<String, Schema> parse(String version, List<String> files) {
    SchemaParser parser = new SchemaParser();
    for (String file : files) {
      parser.parse(read(version + "/" + file));
    }
    Map<String, Schema> named = new LinkedHashMap<>();
    parser.getParsedNamedSchemas().forEach(s -> named.put(s.getFullName(), s));
    return Map.copyOf(named);
  }

  private static String read(String resource) {
    try (InputStream in = ReleasedSchemas.class.getResourceAsStream(ROOT + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing released schema resource " + ROOT + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + ROOT + resource, e);
    }
  }
}
