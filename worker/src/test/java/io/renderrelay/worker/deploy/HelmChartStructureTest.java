package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Static checks of deploy/helm/render-relay without Helm: Chart.yaml, values.yaml against
 * values.schema.json, every {@code .Values.x.y} a template reads exists in values.yaml (and every
 * top-level value is read somewhere), and the chart's alert file is the one in deploy/prometheus.
 * HelmChartIT runs Helm's own lint and template on top.
 */
class HelmChartStructureTest {
  private static final Pattern VALUES_REF =
      Pattern.compile("\\.Values((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");

  /** Maps whose keys are free (the user's), so a template may index below them. */
  private static final Set<String> FREE_MAPS = Set.of("config");

  @Test
  void chartYamlIsAnApplicationChart() {
    JsonNode chart = DeployFiles.yaml(DeployFiles.CHART_YAML);
    assertThat(chart.path("apiVersion").asText()).isEqualTo("v2");
    assertThat(chart.path("name").asText()).isEqualTo("render-relay");
    assertThat(chart.path("type").asText()).isEqualTo("application");
    assertThat(chart.path("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    assertThat(chart.path("appVersion").asText()).isNotBlank();
  }

  @Test
  void valuesValidateAgainstTheSchema() {
    MiniJsonSchema schema = new MiniJsonSchema(DeployFiles.json(DeployFiles.VALUES_SCHEMA));
    assertThat(schema.validate(DeployFiles.yaml(DeployFiles.VALUES))).isEmpty();
  }

  @Test
  void everyNonSecretConfigKeyIsAllowedInConfig() {
    MiniJsonSchema schema = new MiniJsonSchema(DeployFiles.json(DeployFiles.VALUES_SCHEMA));
    for (io.renderrelay.worker.config.ConfigKey<?> key :
        io.renderrelay.worker.config.ConfigKeys.ALL) {
      if (key.secret()) {
        continue;
      }
      ObjectNode values = values();
      ((ObjectNode) values.get("config")).put(key.name(), "x");
      assertThat(schema.validate(values))
          .as(key.name())
          .noneMatch(p -> p.contains("does not match") || p.contains("not allowed"));
    }
  }

  /**
   * The chart refuses a secret in {@code config} by name ({@code $secretKeys} in _helpers.tpl);
   * that list must be exactly the keys the worker treats as secrets, so a new secret key cannot be
   * rendered into the ConfigMap.
   */
  @Test
  void theChartsSecretKeyListIsTheWorkersSecretKeys() {
    Matcher list =
        Pattern.compile("\\$secretKeys := list((?: \"[^\"]+\")+)")
            .matcher(DeployFiles.text("deploy/helm/render-relay/templates/_helpers.tpl"));
    assertThat(list.find()).as("$secretKeys list in _helpers.tpl").isTrue();
    Set<String> chart = new TreeSet<>();
    Matcher name = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
    while (name.find()) {
      chart.add(name.group(1));
    }
    Set<String> worker = new TreeSet<>();
    for (io.renderrelay.worker.config.ConfigKey<?> key :
        io.renderrelay.worker.config.ConfigKeys.ALL) {
      if (key.secret()) {
        worker.add(key.name());
      }
    }
    assertThat(chart).isEqualTo(worker);
  }

  @Test
  void schemaRejectsBrokenValues() {
    MiniJsonSchema schema = new MiniJsonSchema(DeployFiles.json(DeployFiles.VALUES_SCHEMA));
    ObjectNode secretInConfig = values();
    ((ObjectNode) secretInConfig.get("config")).put("provider.api-key", "sk-live");
    assertThat(schema.validate(secretInConfig)).anyMatch(p -> p.contains("provider.api-key"));

    ObjectNode unknownGroup = values();
    ((ObjectNode) unknownGroup.get("config")).put("provder.base-url", "https://x");
    assertThat(schema.validate(unknownGroup)).anyMatch(p -> p.contains("provder.base-url"));

    ObjectNode textReplicas = values();
    textReplicas.put("replicaCount", "two");
    assertThat(schema.validate(textReplicas)).anyMatch(p -> p.startsWith("/replicaCount"));

    ObjectNode wrongProbe = values();
    ((ObjectNode) wrongProbe.at("/probes/liveness")).put("path", "/healthz");
    assertThat(schema.validate(wrongProbe)).anyMatch(p -> p.startsWith("/probes/liveness/path"));

    ObjectNode typo = values();
    typo.put("replicas", 3);
    assertThat(schema.validate(typo)).anyMatch(p -> p.contains("/replicas"));

    ObjectNode missing = values();
    missing.remove("partitions");
    assertThat(schema.validate(missing)).anyMatch(p -> p.contains("partitions"));
  }

  @Test
  void templatesReadOnlyValuesThatExistAndEveryValueIsRead() {
    JsonNode values = DeployFiles.yaml(DeployFiles.VALUES);
    Set<String> missing = new TreeSet<>();
    Set<String> usedTopLevel = new LinkedHashSet<>();
    int refs = 0;
    for (Path template : DeployFiles.templates()) {
      Matcher m = VALUES_REF.matcher(DeployFiles.read(template));
      while (m.find()) {
        refs++;
        List<String> path = List.of(m.group(1).substring(1).split("\\."));
        usedTopLevel.add(path.get(0));
        if (!exists(values, path)) {
          missing.add(template.getFileName() + ": .Values." + String.join(".", path));
        }
      }
    }
    assertThat(refs).isGreaterThan(40);
    assertThat(missing).as("template references absent from values.yaml").isEmpty();
    Set<String> unused = new TreeSet<>();
    values.fieldNames().forEachRemaining(unused::add);
    unused.removeAll(usedTopLevel);
    assertThat(unused).as("values no template reads").isEmpty();
  }

  /** Helm reads files only inside the chart: its copies must equal the repository's files. */
  @ParameterizedTest
  @CsvSource({
    "files/alerts.yaml, deploy/prometheus/alerts.yaml, prometheusrule.yaml",
    "files/render-relay-dashboard.json, deploy/grafana/render-relay-dashboard.json,"
        + " grafana-dashboard.yaml"
  })
  void chartFilesAreCopiesOfTheRepositoryFiles(String chartFile, String original, String template) {
    assertThat(DeployFiles.text(DeployFiles.CHART + "/" + chartFile))
        .as("%s/%s must be a copy of %s", DeployFiles.CHART, chartFile, original)
        .isEqualTo(DeployFiles.text(original));
    assertThat(DeployFiles.text(DeployFiles.TEMPLATES + "/" + template))
        .contains(".Files.Get \"" + chartFile + "\"");
  }

  @Test
  void chartHasTheExpectedTemplates() {
    Set<String> names = new TreeSet<>();
    DeployFiles.templates().forEach(t -> names.add(t.getFileName().toString()));
    assertThat(names)
        .contains(
            "_helpers.tpl",
            "NOTES.txt",
            "deployment.yaml",
            "service.yaml",
            "secret.yaml",
            "configmap.yaml",
            "pdb.yaml",
            "serviceaccount.yaml",
            "keda-scaledobject.yaml",
            "prometheusrule.yaml",
            "servicemonitor.yaml",
            "ingress.yaml",
            "networkpolicy.yaml",
            "grafana-dashboard.yaml");
  }

  private static boolean exists(JsonNode values, List<String> path) {
    JsonNode node = values;
    for (String part : path) {
      if (node.isObject() && FREE_MAPS.contains(part) && node == values) {
        return node.has(part);
      }
      if (!node.isObject() || !node.has(part)) {
        return false;
      }
      node = node.get(part);
    }
    return true;
  }

  private static ObjectNode values() {
    return (ObjectNode) DeployFiles.yaml(DeployFiles.VALUES);
  }
}
