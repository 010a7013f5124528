package io.renderrelay.worker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Locates and parses the deployment artifacts of the repository (YAML, JSON, text). */
final class DeployFiles {
  static final String COMPOSE = "docker-compose.yml";
  static final String DOCKERFILE = "worker/Dockerfile";
  static final String ALERTS = "deploy/prometheus/alerts.yaml";
  static final String DASHBOARD = "deploy/grafana/render-relay-dashboard.json";
  static final String CHART = "deploy/helm/render-relay";
  static final String RELEASE_WORKFLOW = ".github/workflows/release.yml";
  static final String VALUES = CHART + "/values.yaml";
  static final String VALUES_SCHEMA = CHART + "/values.schema.json";
  static final String CHART_YAML = CHART + "/Chart.yaml";
  static final String TEMPLATES = CHART + "/templates";
  static final String OPERATIONS = "docs/operations.md";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeployFiles() {}

  /** The directory holding the root pom and the worker module. */
  static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("worker"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("repository root not found above " + Path.of(""));
  }

  static Path path(String relative) {
    return root().resolve(relative);
  }

  static String text(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + relative, e);
    }
  }

  static JsonNode yaml(String relative) {
    return yamlText(text(relative), relative);
  }

  static JsonNode yamlText(String yaml, String what) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalStateException(what + " is not valid YAML: " + e.getMessage(), e);
    }
  }

  /** Every document of a multi-document YAML stream (helm template output), empty ones skipped. */
  static List<JsonNode> yamlDocuments(String yaml) {
    List<JsonNode> docs = new ArrayList<>();
    try (YAMLParser parser = (YAMLParser) YAML.getFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("rendered manifests are not valid YAML: " + e.getMessage());
    }
    return docs;
  }

  static JsonNode jsonText(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("not valid JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode json(String relative) {
    try {
      return JSON.readTree(text(relative));
    } catch (IOException e) {
      throw new IllegalStateException(relative + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The chart's template files (templates/*.yaml, *.tpl, NOTES.txt). */
  static List<Path> templates() {
    try (Stream<Path> files = Files.list(path(TEMPLATES))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A YAML/JSON object of scalars as a mutable map of their texts (compose environment). */
  static Map<String, String> stringMap(JsonNode object) {
    Map<String, String> map = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
