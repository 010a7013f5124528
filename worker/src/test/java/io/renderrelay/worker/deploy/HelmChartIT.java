package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.renderrelay.worker.config.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs Helm itself on deploy/helm/render-relay: {@code helm lint --strict} and {@code helm
 * template} (which also validates values against values.schema.json), then checks the rendered
 * manifests. Helm is Helm's Go code, loaded as a native library from the helm-java artifact on
 * Maven Central (no helm binary is installable from Debian or npm here). The test is skipped only
 * when that native library cannot be loaded on this platform.
 */
@Timeout(120)
class HelmChartIT {
  private static final Path CHART = DeployFiles.path(DeployFiles.CHART);

  @TempDir Path tmp;

  @BeforeAll
  static void helmLoads() {
    try {
      Helm.version().call();
    } catch (LinkageError | RuntimeException e) {
      Assumptions.abort("Helm's native library does not load on this platform: " + e);
    }
  }

  @Test
  void lintsCleanInStrictMode() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as("helm lint: %s", result.getMessages()).isFalse();
    assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARN"));
  }

  @Test
  void lintFailsOnABrokenCopyOfTheChart() throws IOException {
    Path copy = tmp.resolve("render-relay");
    try (var files = Files.walk(CHART)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(CHART.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
    Path deployment = copy.resolve("templates/deployment.yaml");
    Files.writeString(
        deployment, Files.readString(deployment) + "\n{{- if .Values.replicaCount }}\n");
    LintResult result = new Helm(copy).lint().call();
    assertThat(result.isFailed()).as("lint of a template with an unclosed block").isTrue();
  }

  @Test
  void defaultValuesRenderTheWorker() throws IOException {
    Manifests out = render(List.of());
    assertThat(out.kinds())
        .containsExactlyInAnyOrder(
            "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget");
    JsonNode pod = out.one("Deployment").at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertThat(out.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();

    JsonNode config = out.one("ConfigMap").path("data");
    long graceSeconds =
        Durations.parse(config.path("RENDER_RELAY_SHUTDOWN_GRACE").asText()).toSeconds();
    assertThat(graceSeconds).isEqualTo(30);
    assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThan(graceSeconds + 5);
    assertThat(config.path("RENDER_RELAY_INSTANCE_TOPIC_PARTITIONS").asText()).isEqualTo("12");
    assertThat(config.path("RENDER_RELAY_HTTP_PORT").asText()).isEqualTo("8080");

    Set<String> envNames = new LinkedHashSet<>();
    config.fieldNames().forEachRemaining(envNames::add);
    container.path("env").forEach(e -> envNames.add(e.path("name").asText()));
    assertThat(envNames).allMatch(WorkerEnv::isKnown, "a declared setting");
    assertThat(envNames)
        .contains(
            "RENDER_RELAY_PROVIDER_API_KEY", "RENDER_RELAY_INSTANCE_CALLBACK_SECRET",
            "RENDER_RELAY_STORAGE_SECRET_ACCESS_KEY", "RENDER_RELAY_REGISTRY_BASIC_AUTH_USER_INFO",
            "RENDER_RELAY_INSTANCE_ID", "RENDER_RELAY_PROVIDER_CALLBACK_BASE_URL");
    for (JsonNode env : container.path("env")) {
      if (env.path("name").asText().startsWith("RENDER_RELAY_PROVIDER_API_KEY")) {
        assertThat(env.at("/valueFrom/secretKeyRef/name").asText())
            .isEqualTo("render-relay-secrets");
      }
    }
    JsonNode annotations = out.one("Deployment").at("/spec/template/metadata/annotations");
    assertThat(annotations.path("prometheus.io/scrape").asText()).isEqualTo("true");
    assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
    assertThat(out.one("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
  }

  @Test
  void everyOptionRenders() throws IOException {
    Manifests out =
        render(
            List.of(
                "partitions: 6",
                "keda: {enabled: true, minReplicas: 1, maxReplicas: 20,"
                    + " commandLagThreshold: 40, pollTierLagThreshold: 900}",
                "serviceMonitor: {enabled: true}",
                "prometheusRule: {enabled: true}",
                "secrets: {create: true, existingSecret: '', providerApiKey: pk,"
                    + " callbackSecret: cs, storageSecretAccessKey: sk,"
                    + " registryBasicAuthUserInfo: 'u:p'}"));
    assertThat(out.kinds())
        .contains("ScaledObject", "ServiceMonitor", "PrometheusRule", "Secret", "Deployment");
    assertThat(out.one("Deployment").at("/spec/replicas").isMissingNode()).isTrue();

    JsonNode scaled = out.one("ScaledObject").path("spec");
    assertThat(scaled.path("maxReplicaCount").asInt()).as("capped at partitions").isEqualTo(6);
    List<String> topics = new ArrayList<>();
    for (JsonNode trigger : scaled.path("triggers")) {
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo("render-relay");
      String topic = trigger.at("/metadata/topic").asText();
      topics.add(topic);
      String threshold = trigger.at("/metadata/lagThreshold").asText();
      assertThat(threshold).isEqualTo(topic.matches("render\\.poll\\.\\d+s") ? "900" : "40");
    }
    assertThat(topics)
        .containsExactly(
            "render.commands.restyle",
            "render.commands.act-one",
            "render.poll.now",
            "render.poll.10s",
            "render.poll.30s",
            "render.poll.120s");

    JsonNode secret = out.one("Secret").path("data");
    assertThat(decode(secret, "RENDER_RELAY_PROVIDER_API_KEY")).isEqualTo("pk");
    assertThat(decode(secret, "RENDER_RELAY_INSTANCE_CALLBACK_SECRET")).isEqualTo("cs");
    assertThat(decode(secret, "RENDER_RELAY_STORAGE_SECRET_ACCESS_KEY")).isEqualTo("sk");
    assertThat(decode(secret, "RENDER_RELAY_REGISTRY_BASIC_AUTH_USER_INFO")).isEqualTo("u:p");
    assertThat(out.one("ConfigMap").toString()).doesNotContain("\"pk\"", "\"cs\"");

    JsonNode rule = out.one("PrometheusRule").path("spec");
    assertThat(rule).isEqualTo(DeployFiles.yaml(DeployFiles.ALERTS));
    assertThat(out.one("ServiceMonitor").at("/spec/endpoints/0/path").asText())
        .isEqualTo("/metrics");
  }

  @Test
  void refusesValuesThatWouldBreakTheWorker() {
    assertThatThrownBy(() -> render(List.of("replicaCount: 13")))
        .hasMessageContaining("exceeds partitions");
    assertThatThrownBy(() -> render(List.of("config: {shutdown.grace: 10s}")))
        .hasMessageContaining("shutdownGraceSeconds");
    assertThatThrownBy(
            () -> render(List.of("config: {kafka.client.sasl.jaas.config: 'x required;'}")))
        .hasMessageContaining("credential");
    assertThatThrownBy(() -> render(List.of("secrets: {create: true, existingSecret: ''}")))
        .hasMessageContaining("secrets.providerApiKey is required");
    assertThatThrownBy(() -> render(List.of("replicaCount: two")))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render(List.of("config: {provider.api-key: sk-live}")))
        .hasMessageContaining("provider.api-key");
  }

  private Manifests render(List<String> valuesLines) throws IOException {
    TemplateCommand template = new Helm(CHART).template().withName("render-relay");
    if (!valuesLines.isEmpty()) {
      Path values = Files.createTempFile(tmp, "values", ".yaml");
      Files.writeString(values, String.join("\n", valuesLines) + "\n", StandardCharsets.UTF_8);
      template = template.withValuesFile(values);
    }
    return new Manifests(DeployFiles.yamlDocuments(template.call()));
  }

  private static String decode(JsonNode data, String key) {
    return new String(Base64.getDecoder().decode(data.path(key).asText()), StandardCharsets.UTF_8);
  }

  /** Rendered manifests. */
  private record Manifests(List<JsonNode> docs) {
    List<String> kinds() {
      return docs.stream().map(d -> d.path("kind").asText()).toList();
    }

    JsonNode one(String kind) {
      List<JsonNode> found =
          docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
      assertThat(found).as("exactly one %s in %s", kind, kinds()).hasSize(1);
      return found.get(0);
    }
  }
}
