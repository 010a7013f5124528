package io.renderrelay.worker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.renderrelay.worker.config.ConfigKey;
import io.renderrelay.worker.config.ConfigKeys;
import io.renderrelay.worker.config.HttpKeys;
import io.renderrelay.worker.config.JobKeys;
import io.renderrelay.worker.config.KafkaKeys;
import io.renderrelay.worker.config.ProviderKeys;
import io.renderrelay.worker.config.StorageKeys;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The deployment artifacts (docker-compose.yml, worker/Dockerfile, the Helm chart's values, the
 * Prometheus alerts, the Grafana dashboard, the runbook) agree with the code: every metric they
 * query is published, every RENDER_RELAY_* variable is a declared setting, probes hit the worker's
 * endpoints, and every alert has its runbook section.
 */
class DeployArtifactsTest {
  private static final Pattern ENV_VAR = Pattern.compile("\\bRENDER_RELAY_[A-Z0-9_]+\\b");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

  @Test
  void composeDeclaresTheWholeStackForOneNode() {
    JsonNode services = DeployFiles.yaml(DeployFiles.COMPOSE).path("services");
    assertThat(names(services))
        .contains("kafka", "schema-registry", "s3", "s3-init", "simulator", "worker");
    assertThat(services.at("/kafka/image").asText()).startsWith("apache/kafka:4.1");
    assertThat(services.at("/schema-registry/image").asText())
        .startsWith("confluentinc/cp-schema-registry:");
    JsonNode kafkaEnv = services.at("/kafka/environment");
    assertThat(kafkaEnv.path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
    for (String oneReplica :
        List.of(
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR")) {
      assertThat(kafkaEnv.path(oneReplica).asInt()).as(oneReplica).isEqualTo(1);
    }
    assertThat(text(services.at("/simulator/command")))
        .contains("--port", "8090", "--time-scale", "0.05");
    assertThat(services.at("/simulator/build/dockerfile").asText())
        .isEqualTo(DeployFiles.DOCKERFILE);
    assertThat(DeployFiles.text(DeployFiles.COMPOSE)).contains("Docker engine");
  }

  /**
   * apache/kafka writes to log.dirs, by default under /tmp; its image declares VOLUME
   * /var/lib/kafka/data (owned by the broker's user). The named volume must be mounted where the
   * broker really writes, or broker data is lost with the container.
   */
  @Test
  void kafkaDataVolumeIsWhereTheBrokerWrites() {
    JsonNode kafka = DeployFiles.yaml(DeployFiles.COMPOSE).at("/services/kafka");
    String logDirs = kafka.at("/environment/KAFKA_LOG_DIRS").asText();
    assertThat(logDirs).as("KAFKA_LOG_DIRS set explicitly").isEqualTo("/var/lib/kafka/data");
    List<String> mounts = new ArrayList<>();
    kafka.path("volumes").forEach(v -> mounts.add(v.asText()));
    assertThat(mounts).containsExactly("kafka-data:" + logDirs);
    assertThat(DeployFiles.yaml(DeployFiles.COMPOSE).at("/volumes").has("kafka-data")).isTrue();
  }

  @Test
  void composeWorkerIsConfiguredForThatStack() {
    JsonNode services = DeployFiles.yaml(DeployFiles.COMPOSE).path("services");
    Map<String, String> env = DeployFiles.stringMap(services.at("/worker/environment"));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      if (key.required()) {
        assertThat(env).as("required %s", key.name()).containsKey(key.envName());
      }
    }
    assertThat(env).containsEntry(JobKeys.JOBS_DEV_MODE.envName(), "true");
    assertThat(env.get(KafkaKeys.KAFKA_BOOTSTRAP_SERVERS.envName())).isEqualTo("kafka:9092");
    assertThat(URI.create(env.get(KafkaKeys.REGISTRY_URL.envName())).getHost())
        .isEqualTo("schema-registry");
    assertThat(URI.create(env.get(StorageKeys.STORAGE_ENDPOINT.envName())).getHost())
        .isEqualTo("s3");
    // the simulator binds 127.0.0.1 only: the worker shares its network namespace, so the
    // simulator's callbacks and the worker's provider calls both go over that loopback
    assertThat(services.at("/worker/network_mode").asText()).isEqualTo("service:simulator");
    URI provider = URI.create(env.get(ProviderKeys.PROVIDER_BASE_URL.envName()));
    assertThat(provider.getPort()).isEqualTo(8090);
    URI callbacks = URI.create(env.get(ProviderKeys.PROVIDER_CALLBACK_BASE_URL.envName()));
    assertThat(callbacks.getPath()).isEqualTo("/callbacks");
    assertThat(callbacks.getPort())
        .isEqualTo(Integer.parseInt(env.getOrDefault(HttpKeys.HTTP_PORT.envName(), "8080")));
    assertThat(text(services.at("/simulator/ports"))).contains(callbacks.getPort() + ":");
    // probes and /metrics on the management port, published through the simulator service too
    assertThat(env.get(HttpKeys.HTTP_MANAGEMENT_PORT.envName()))
        .isEqualTo(HttpKeys.HTTP_MANAGEMENT_PORT.defaultValue().orElseThrow());
    assertThat(text(services.at("/simulator/ports")))
        .contains(":" + env.get(HttpKeys.HTTP_MANAGEMENT_PORT.envName()) + "\"");
  }

  /** The release workflow pushes the image the chart's defaults and the docs name. */
  @Test
  void releaseWorkflowPushesTheChartsDefaultImage() {
    JsonNode workflow = DeployFiles.yaml(DeployFiles.RELEASE_WORKFLOW);
    assertThat(workflow.at("/on/push/tags/0").asText()).startsWith("v");
    String repository = DeployFiles.yaml(DeployFiles.VALUES).at("/image/repository").asText();
    assertThat(repository).startsWith("ghcr.io/");
    String imageName = repository.substring(repository.lastIndexOf('/') + 1);
    assertThat(workflow.at("/env/IMAGE_NAME").asText()).isEqualTo(imageName);
    assertThat(workflow.at("/env/REGISTRY").asText()).isEqualTo("ghcr.io");
    JsonNode build = null;
    JsonNode meta = null;
    for (JsonNode step : workflow.at("/jobs/image/steps")) {
      String uses = step.path("uses").asText();
      if (uses.startsWith("docker/build-push-action@")) {
        build = step.path("with");
      } else if (uses.startsWith("docker/metadata-action@")) {
        meta = step.path("with");
      }
    }
    assertThat(build).as("a docker/build-push-action step").isNotNull();
    assertThat(meta).as("a docker/metadata-action step").isNotNull();
    assertThat(build.path("file").asText()).isEqualTo(DeployFiles.DOCKERFILE);
    assertThat(build.path("target").asText()).isEqualTo("worker");
    assertThat(build.path("platforms").asText()).contains("linux/amd64", "linux/arm64");
    assertThat(build.path("sbom").asBoolean()).isTrue();
    assertThat(build.path("push").asBoolean()).isTrue();
    assertThat(meta.path("images").asText()).endsWith("/${{ env.IMAGE_NAME }}");
    assertThat(meta.path("tags").asText()).contains("type=semver,pattern={{version}}");
    assertThat(DeployFiles.text(DeployFiles.RELEASE_WORKFLOW))
        .contains(DeployFiles.CHART_YAML, "appVersion");
    for (String doc : List.of("README.md", DeployFiles.OPERATIONS)) {
      assertThat(DeployFiles.text(doc)).as(doc).contains(repository);
    }
  }

  @Test
  void everyRenderRelayVariableIsADeclaredSetting() {
    Map<String, Set<String>> unknown = new java.util.TreeMap<>();
    List<String> sources =
        new ArrayList<>(
            List.of(
                DeployFiles.COMPOSE,
                DeployFiles.DOCKERFILE,
                DeployFiles.VALUES,
                DeployFiles.OPERATIONS,
                "README.md",
                "examples/README.md",
                "examples/run-worker"));
    DeployFiles.templates().forEach(t -> sources.add(DeployFiles.root().relativize(t).toString()));
    for (String source : sources) {
      Matcher m = ENV_VAR.matcher(DeployFiles.text(source));
      while (m.find()) {
        String name = m.group();
        if (!WorkerEnv.isKnown(name)) {
          unknown.computeIfAbsent(source, s -> new TreeSet<>()).add(name);
        }
      }
    }
    assertThat(unknown).as("RENDER_RELAY_* names that match no ConfigKeys entry").isEmpty();
    assertThat(DeployFiles.text("worker/src/main/resources/logback.xml"))
        .contains(WorkerEnv.LOG_LEVEL_VAR);
    for (String launcher : List.of("scripts/render-relay", DeployFiles.DOCKERFILE)) {
      assertThat(DeployFiles.text(launcher))
          .as("the CLI launcher in %s: small fixed heap, no inherited JVM options", launcher)
          .contains("${" + WorkerEnv.CLI_JAVA_OPTS_VAR + ":-", "-Xmx128m")
          .contains(
              "unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS", "--enable-native-access=ALL-UNNAMED");
    }
  }

  @Test
  void chartConfigKeysAreDeclaredAndNoneIsASecret() {
    JsonNode config = DeployFiles.yaml(DeployFiles.VALUES).path("config");
    assertThat(config.isObject()).isTrue();
    for (String name : names(config)) {
      if (name.startsWith(ConfigKeys.KAFKA_CLIENT_PREFIX)) {
        continue;
      }
      var key = ConfigKeys.byName(name);
      assertThat(key)
          .as("config.%s is not a declared key (docs/configuration.md)", name)
          .isPresent();
      assertThat(key.get().secret()).as("config.%s is a secret", name).isFalse();
    }
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      if (key.required() && !key.secret()) {
        assertThat(names(config)).as("required %s", key.name()).contains(key.name());
      }
    }
    String deployment = DeployFiles.text(DeployFiles.TEMPLATES + "/deployment.yaml");
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      if (key.required() && key.secret()) {
        assertThat(deployment).as("secret %s from the Secret", key.name()).contains(key.envName());
      }
    }
  }

  @Test
  void probesHitTheWorkersHealthEndpoints() {
    String server =
        DeployFiles.text("worker/src/main/java/io/renderrelay/worker/http/ManagementServer.java");
    JsonNode probes = DeployFiles.yaml(DeployFiles.VALUES).path("probes");
    assertThat(probes.at("/liveness/path").asText()).isEqualTo("/health/live");
    assertThat(probes.at("/readiness/path").asText()).isEqualTo("/health/ready");
    assertThat(probes.at("/startup/path").asText()).isEqualTo("/health/live");
    for (String path : List.of("/health/live", "/health/ready", "/metrics")) {
      assertThat(server).contains("createContext(\"" + path + "\"");
    }
    String dockerfile = DeployFiles.text(DeployFiles.DOCKERFILE);
    assertThat(dockerfile)
        .contains("HEALTHCHECK", "GET /health/live", "EXPOSE 8080 9090")
        .contains(
            "/dev/tcp/127.0.0.1/${"
                + HttpKeys.HTTP_MANAGEMENT_PORT.envName()
                + ":-"
                + HttpKeys.HTTP_MANAGEMENT_PORT.defaultValue().orElseThrow()
                + "}")
        .contains("io.renderrelay.worker.app.Main")
        .contains("FROM maven:3.9-eclipse-temurin-21", "FROM eclipse-temurin:21-jre")
        .contains("-Pdist", "-Dmaven.test.skip=true", "/app/lib", "MaxRAMPercentage")
        .containsPattern("(?m)^USER 10001");
  }

  @Test
  void alertsQueryOnlyPublishedMetricsAndHaveARunbook() {
    JsonNode groups = DeployFiles.yaml(DeployFiles.ALERTS).path("groups");
    assertThat(groups.size()).isPositive();
    Set<String> anchors = runbookAnchors();
    Set<String> series = new LinkedHashSet<>();
    Map<String, List<String>> problems = new java.util.TreeMap<>();
    Set<String> alertNames = new LinkedHashSet<>();
    for (JsonNode group : groups) {
      assertThat(group.path("name").asText()).isNotBlank();
      for (JsonNode rule : group.path("rules")) {
        String alert = rule.path("alert").asText();
        String expr = rule.path("expr").asText();
        assertThat(alert).as("rule without an alert name in %s", group).isNotBlank();
        assertThat(alertNames.add(alert)).as("duplicate alert %s", alert).isTrue();
        assertThat(expr).as(alert).isNotBlank();
        assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
        assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
        String runbook = rule.at("/annotations/runbook").asText();
        assertThat(runbook).as(alert).startsWith(DeployFiles.OPERATIONS + "#");
        assertThat(anchors).as("%s runbook anchor", alert).contains(runbook.split("#", 2)[1]);
        series.addAll(PromQlRefs.seriesNames(expr));
        List<String> p = PromQlRefs.problems(expr);
        if (!p.isEmpty()) {
          problems.put(alert, p);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(series)
        .contains(
            "render_relay_dead_letters_total",
            "render_relay_poll_lateness_seconds_max",
            "render_relay_submission_gate_state",
            "render_relay_consumer_lag_records",
            "render_relay_ambiguous_jobs_total",
            "render_relay_transactions_total",
            "render_relay_provider_unknown_status_total");
    assertThat(DeployFiles.text(DeployFiles.ALERTS)).contains("up{job=~");
    String operations = DeployFiles.text(DeployFiles.OPERATIONS);
    alertNames.forEach(a -> assertThat(operations).as("runbook mentions %s", a).contains(a));
  }

  @Test
  void dashboardQueriesOnlyPublishedMetrics() {
    JsonNode dashboard = DeployFiles.json(DeployFiles.DASHBOARD);
    assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dashboard.path("uid").asText()).isNotBlank();
    Set<Integer> ids = new LinkedHashSet<>();
    Set<String> series = new LinkedHashSet<>();
    Map<String, List<String>> problems = new java.util.TreeMap<>();
    int queries = 0;
    for (JsonNode panel : dashboard.path("panels")) {
      assertThat(ids.add(panel.path("id").asInt())).as("unique panel id %s", panel).isTrue();
      for (JsonNode target : panel.path("targets")) {
        String expr = target.path("expr").asText();
        assertThat(expr).as(panel.path("title").asText()).isNotBlank();
        queries++;
        series.addAll(PromQlRefs.seriesNames(expr));
        List<String> p = PromQlRefs.problems(expr);
        if (!p.isEmpty()) {
          problems.put(panel.path("title").asText(), p);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(queries).isGreaterThanOrEqualTo(20);
    Set<String> metrics = new TreeSet<>();
    series.forEach(s -> PromQlRefs.resolve(s).ifPresent(m -> metrics.add(m.name())));
    assertThat(metrics)
        .contains(
            "JOBS",
            "PROVIDER_REQUESTS",
            "RATE_LIMITER_WAIT",
            "JOBS_IN_FLIGHT",
            "POLL_LATENESS",
            "COPY_BYTES",
            "COPY_THROUGHPUT",
            "DEAD_LETTERS",
            "CONSUMER_LAG",
            "SUBMISSION_GATE",
            "TRANSACTIONS");
  }

  @Test
  void metricReferenceCheckCatchesMistakes() {
    assertThat(PromQlRefs.problems("rate(render_relay_jobs_total{stage=\"poll\"}[5m])")).isEmpty();
    assertThat(PromQlRefs.problems("render_relay_jobs_count")).hasSize(1);
    assertThat(PromQlRefs.problems("render_relay_rate_limiter_wait_seconds_bucket")).hasSize(1);
    assertThat(
            PromQlRefs.problems(
                "histogram_quantile(0.95, sum by (le, tier)"
                    + " (rate(render_relay_poll_lateness_seconds_bucket{le=\"10.0\"}[5m])))"))
        .isEmpty();
    assertThat(PromQlRefs.problems("sum by (le) (render_relay_poll_lateness_seconds_count)"))
        .hasSize(1);
    assertThat(PromQlRefs.problems("render_relay_poll_lateness_seconds")).hasSize(1);
    assertThat(PromQlRefs.problems("render_relay_jobs_total{stage=\"transcode\"}")).hasSize(1);
    assertThat(PromQlRefs.problems("render_relay_jobs_total{tier=\"x\"}")).hasSize(1);
    assertThat(PromQlRefs.problems("render_relay_consumer_lag_records{input=~\"poll_now|x\"}"))
        .hasSize(1);
    assertThat(PromQlRefs.problems("sum by (reason) (render_relay_jobs_total)")).hasSize(1);
    assertThat(PromQlRefs.problems("max by (tier) (render_relay_poll_lateness_seconds_max)"))
        .isEmpty();
  }

  /** GitHub-style anchors of every heading in docs/operations.md. */
  static Set<String> runbookAnchors() {
    Set<String> anchors = new LinkedHashSet<>();
    Matcher m = HEADING.matcher(DeployFiles.text(DeployFiles.OPERATIONS));
    while (m.find()) {
      anchors.add(
          m.group(1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
    }
    return anchors;
  }

  private static List<String> names(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String text(JsonNode node) {
    return node.toString();
  }
}
