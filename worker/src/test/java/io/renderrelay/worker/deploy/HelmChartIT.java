package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.Durations;
import io.renderrelay.worker.config.ProviderKeys;
import io.renderrelay.worker.config.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/port").asText())
          .as(probe)
          .isEqualTo("management");
    }
    assertThat(container.at("/ports/0/name").asText()).isEqualTo("http");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    assertThat(container.at("/ports/1/name").asText()).isEqualTo("management");
    assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(9090);
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();

    JsonNode config = out.config().path("data");
    long graceSeconds =
        Durations.parse(config.path("RENDER_RELAY_SHUTDOWN_GRACE").asText()).toSeconds();
    assertThat(graceSeconds).isEqualTo(30);
    assertThat(pod.path("terminationGracePeriodSeconds").asLong()).isGreaterThan(graceSeconds + 5);
    assertThat(config.path("RENDER_RELAY_INSTANCE_TOPIC_PARTITIONS").asText()).isEqualTo("12");
    assertThat(config.path("RENDER_RELAY_HTTP_PORT").asText()).isEqualTo("8080");
    assertThat(config.path("RENDER_RELAY_HTTP_MANAGEMENT_PORT").asText()).isEqualTo("9090");

    Set<String> envNames = new LinkedHashSet<>();
    config.fieldNames().forEachRemaining(envNames::add);
    container.path("env").forEach(e -> envNames.add(e.path("name").asText()));
    assertThat(envNames)
        .allMatch(n -> WorkerEnv.isKnown(n) || n.equals("POD_IP"), "a declared setting");
    assertThat(container.path("env").toString())
        .contains("status.podIP")
        .contains("http://$(POD_IP):9090");
    assertThat(pod.at("/volumes/0/name").asText()).isEqualTo("ledger");
    assertThat(pod.at("/volumes/0/emptyDir/sizeLimit").asText()).isEqualTo("2Gi");
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
    assertThat(annotations.path("prometheus.io/port").asText()).isEqualTo("9090");
    assertThat(out.one("Service").at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertThat(out.one("Service").at("/spec/ports/1/targetPort").asText()).isEqualTo("management");
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
                    + " registryBasicAuthUserInfo: 'u:p', registryBearerToken: bt,"
                    + " tracingOtlpHeaders: 'Authorization=Bearer%20ot'}",
                "ingress: {enabled: true, className: nginx, host: render-relay.example.com,"
                    + " tls: [{secretName: rr-tls, hosts: [render-relay.example.com]}]}",
                "networkPolicy: {enabled: true, callbackFrom: [{namespaceSelector: {matchLabels:"
                    + " {kubernetes.io/metadata.name: ingress-nginx}}}],"
                    + " managementFrom: [{namespaceSelector: {matchLabels:"
                    + " {kubernetes.io/metadata.name: monitoring}}}]}",
                "grafanaDashboard: {enabled: true}",
                "extraVolumes: [{name: kafka-tls, secret: {secretName: kafka-truststore}}]",
                "extraVolumeMounts: [{name: kafka-tls, mountPath: /etc/render-relay/kafka,"
                    + " readOnly: true}]"));
    assertThat(out.kinds())
        .contains(
            "ScaledObject",
            "ServiceMonitor",
            "PrometheusRule",
            "Secret",
            "Deployment",
            "Ingress",
            "NetworkPolicy");
    assertThat(decode(out.one("Secret").path("data"), "RENDER_RELAY_REGISTRY_BEARER_TOKEN"))
        .isEqualTo("bt");
    assertThat(decode(out.one("Secret").path("data"), "RENDER_RELAY_TRACING_OTLP_HEADERS"))
        .isEqualTo("Authorization=Bearer%20ot");
    assertCallbackIngress(out.one("Ingress"));
    assertNetworkPolicy(out.one("NetworkPolicy"));
    assertDashboard(out);
    JsonNode pod = out.one("Deployment").at("/spec/template/spec");
    assertThat(pod.at("/volumes").toString()).contains("kafka-truststore");
    assertThat(pod.at("/containers/0/volumeMounts").toString()).contains("/etc/render-relay/kafka");
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
    assertThat(out.config().toString()).doesNotContain("\"pk\"", "\"cs\"");

    JsonNode rule = out.one("PrometheusRule").path("spec");
    assertThat(rule).isEqualTo(DeployFiles.yaml(DeployFiles.ALERTS));
    assertThat(out.one("ServiceMonitor").at("/spec/endpoints/0/path").asText())
        .isEqualTo("/metrics");
    assertThat(out.one("ServiceMonitor").at("/spec/endpoints/0/port").asText())
        .isEqualTo("management");
  }

  /** persistence.enabled: a StatefulSet whose pods each keep their ledger on a volume. */
  @Test
  void persistenceRendersAStatefulSetWithALedgerVolumePerPod() throws IOException {
    Manifests out =
        render(
            List.of(
                "persistence: {enabled: true, storageClassName: fast-ssd, size: 8Gi}",
                "keda: {enabled: true}"));
    assertThat(out.kinds()).contains("StatefulSet").doesNotContain("Deployment");
    JsonNode set = out.one("StatefulSet").path("spec");
    assertThat(set.path("serviceName").asText())
        .isEqualTo(out.one("Service").at("/metadata/name").asText());
    assertThat(set.path("podManagementPolicy").asText()).isEqualTo("Parallel");
    JsonNode claim = set.at("/volumeClaimTemplates/0");
    assertThat(claim.at("/metadata/name").asText()).isEqualTo("ledger");
    assertThat(claim.at("/spec/storageClassName").asText()).isEqualTo("fast-ssd");
    assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("8Gi");
    assertThat(claim.at("/spec/accessModes/0").asText()).isEqualTo("ReadWriteOnce");
    JsonNode pod = set.at("/template/spec");
    assertThat(pod.path("volumes").toString())
        .as("no emptyDir ledger")
        .doesNotContain("\"ledger\"");
    assertThat(pod.at("/containers/0/volumeMounts/0/name").asText()).isEqualTo("ledger");
    assertThat(pod.at("/containers/0/volumeMounts/0/mountPath").asText())
        .isEqualTo("/var/lib/render-relay");
    assertThat(out.config().at("/data/RENDER_RELAY_INSTANCE_LEDGER_DIR").asText())
        .startsWith("/var/lib/render-relay/");
    assertThat(out.one("ScaledObject").at("/spec/scaleTargetRef/kind").asText())
        .isEqualTo("StatefulSet");
    assertThatThrownBy(() -> render(List.of("persistence: {enabled: true, size: lots}")))
        .hasMessageContaining("persistence");
  }

  /** The default values' settings, as the pod gets them, load in the worker's ConfigLoader. */
  @Test
  void defaultValuesLoadInTheWorker() throws Exception {
    Manifests out = render(List.of());
    Map<String, String> env = DeployFiles.stringMap(out.config().path("data"));
    env.remove(WorkerEnv.LOG_LEVEL_VAR);
    for (JsonNode e : out.one("Deployment").at("/spec/template/spec/containers/0/env")) {
      // the pod name and the required keys of the Secret (the optional ones absent, as in a
      // Secret holding only the two required keys)
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText().replace("$(POD_IP)", "10.0.0.7"));
      } else if (!e.at("/valueFrom/secretKeyRef/optional").asBoolean(false)) {
        env.put(e.path("name").asText(), "placeholder-" + e.path("name").asText().length());
      }
    }
    WorkerConfig config = ConfigLoader.load(new ConfigSources(Map.of(), env, Optional.empty()));
    assertThat(config.jobs().devMode()).isFalse();
    assertThat(config.http().advertisedUrl()).contains(java.net.URI.create("http://10.0.0.7:9090"));
    assertThat(env.get(ProviderKeys.PROVIDER_CALLBACK_BASE_URL.envName()))
        .isEqualTo(
            "https://"
                + DeployFiles.yaml(DeployFiles.VALUES).at("/ingress/host").asText()
                + "/callbacks");
  }

  private static void assertCallbackIngress(JsonNode ingress) {
    JsonNode paths = ingress.at("/spec/rules/0/http/paths");
    assertThat(paths.size()).as("callbacks only").isEqualTo(1);
    assertThat(paths.at("/0/path").asText()).isEqualTo("/callbacks");
    assertThat(paths.at("/0/backend/service/port/name").asText()).isEqualTo("http");
    assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("render-relay.example.com");
    assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
    assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("rr-tls");
  }

  private static void assertNetworkPolicy(JsonNode policy) {
    JsonNode rules = policy.at("/spec/ingress");
    assertThat(rules.at("/0/ports/0/port").asText()).isEqualTo("http");
    assertThat(rules.at("/0/from/0").toString()).contains("ingress-nginx");
    assertThat(rules.at("/1/ports/0/port").asText()).isEqualTo("management");
    assertThat(rules.at("/1/from/0").toString()).contains("monitoring");
    assertThat(policy.at("/spec/podSelector/matchLabels").toString()).contains("render-relay");
  }

  private static void assertDashboard(Manifests out) {
    JsonNode dashboard =
        out.docs().stream()
            .filter(d -> d.path("kind").asText().equals("ConfigMap"))
            .filter(d -> d.at("/metadata/name").asText().endsWith("-dashboard"))
            .findFirst()
            .orElseThrow();
    assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    assertThat(DeployFiles.jsonText(dashboard.at("/data/render-relay-dashboard.json").asText()))
        .isEqualTo(DeployFiles.json(DeployFiles.DASHBOARD));
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
    assertThatThrownBy(() -> render(List.of("config: {tracing.otlp-headers: 'a=b'}")))
        .hasMessageContaining("tracing.otlp-headers");
    assertThatThrownBy(() -> render(List.of("config: {http.management-port: '9090'}")))
        .hasMessageContaining("service.managementPort");
    assertThatThrownBy(
            () -> render(List.of("ingress: {enabled: true, host: relay.other.example.org}")))
        .hasMessageContaining("https://relay.other.example.org/callbacks");
  }

  @Test
  void acceptsEquivalentSpellingsOfTheCallbackUrl() throws IOException {
    for (String url :
        List.of(
            "https://relay.example.org/callbacks/",
            "https://relay.example.org:443/callbacks",
            "http://relay.example.org:80/callbacks/")) {
      Manifests out =
          render(
              List.of(
                  "ingress: {enabled: true, host: relay.example.org}",
                  "config: {provider.callback-base-url: '" + url + "'}"));
      assertThat(out.kinds()).as(url).contains("Ingress");
    }
    assertThatThrownBy(
            () ->
                render(
                    List.of(
                        "ingress: {enabled: true, host: relay.example.org}",
                        "config: {provider.callback-base-url: 'https://relay.example.org:8443/callbacks'}")))
        .hasMessageContaining("https://relay.example.org/callbacks");
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

    /** The worker's settings ConfigMap (the dashboard is another one). */
    JsonNode config() {
      return docs.stream()
          .filter(d -> d.path("kind").asText().equals("ConfigMap"))
          .filter(d -> d.at("/metadata/name").asText().endsWith("-config"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no settings ConfigMap in " + kinds()));
    }

    JsonNode one(String kind) {
      List<JsonNode> found =
          docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
      assertThat(found).as("exactly one %s in %s", kind, kinds()).hasSize(1);
      return found.get(0);
    }
  }
}
