package io.renderrelay.e2e;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.OutputKind;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.examples.FetchRenders;
import io.renderrelay.examples.PublishRenders;
import io.renderrelay.worker.app.RenderRelayWorker;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples under {@code examples/} against the embedded stack that {@code scripts/devstack}
 * runs, with an in-process worker: {@code PublishRenders} sends a restyle and an act-one, {@code
 * FetchRenders} downloads both renders from S3 and verifies them, and the Node.js consumer (kafkajs
 * + @kafkajs/confluent-schema-registry, installed here with npm) decodes the same events: an
 * independent client reading our wire format.
 */
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExamplesIT {

  private static final Pattern SUBMITTED = Pattern.compile("submitted type=(\\S+) jobId=(\\S+) ");
  private static final Pattern FETCHED =
      Pattern.compile("fetched jobId=(\\S+) path=(\\S+) sha256=([0-9a-f]{64}) bytes=(\\d+)");

  static DevStack stack;
  static RenderRelayWorker worker;
  static EventCollector events;
  static List<String> jobIds = new ArrayList<>();

  @BeforeAll
  static void startStackWorkerAndPublish() throws Exception {
    stack =
        DevStack.start(
            DevStackConfig.defaults()
                .withSimulator(
                    SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1))));
    worker =
        RenderRelayWorker.start(
            new WorkerSettings(stack, "examples-1").config(), Clock.systemUTC());
    events = new EventCollector(bootstrap(), registry());

    Output out = new Output();
    int code =
        PublishRenders.run(
            new String[] {bootstrap(), registry()}, out.stream, System.err, Clock.systemUTC());
    assertThat(code).as("PublishRenders exit code; printed:%n%s", out).isZero();
    Matcher m = SUBMITTED.matcher(out.text());
    List<String> types = new ArrayList<>();
    while (m.find()) {
      types.add(m.group(1));
      jobIds.add(m.group(2));
    }
    assertThat(types).containsExactly("restyle", "act-one");
    assertThat(events.awaitTerminal(jobIds, Duration.ofSeconds(90))).isEqualTo(2);
    assertThat(jobIds)
        .allSatisfy(
            id ->
                assertThat(events.eventsOf(id))
                    .singleElement()
                    .isInstanceOf(RenderCompleted.class));
  }

  @AfterAll
  static void stop() throws Exception {
    Closing.all(events, worker, stack);
  }

  @Test
  void fetchRendersDownloadsBothVideosAndVerifiesTheirSha256(@TempDir Path dir) throws Exception {
    Output out = new Output();
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            stack.s3().accessKey(),
            "AWS_SECRET_ACCESS_KEY",
            stack.s3().secretKey(),
            "AWS_REGION",
            stack.s3().region());
    String[] args = {
      bootstrap(),
      registry(),
      stack.s3().endpoint().toString(),
      dir.toString(),
      "--max",
      "2",
      "--group",
      "fetch-" + UUID.randomUUID(),
      "--timeout",
      "90"
    };

    int code = FetchRenders.run(args, env, out.stream, System.err, Clock.systemUTC());

    assertThat(code).as("FetchRenders exit code; printed:%n%s", out).isZero();
    Matcher m = FETCHED.matcher(out.text());
    List<String> fetched = new ArrayList<>();
    while (m.find()) {
      String jobId = m.group(1);
      Path file = Path.of(m.group(2));
      fetched.add(jobId);
      RenderCompleted event = (RenderCompleted) events.eventsOf(jobId).get(0);
      assertThat(file).startsWith(dir).isRegularFile().hasFileName("video.mp4");
      assertThat(Files.size(file)).isEqualTo(event.getVideo().getSizeBytes()).isPositive();
      String sha = sha256(file);
      assertThat(sha)
          .isEqualTo(m.group(3))
          .isEqualTo(event.getVideo().getSha256())
          .isEqualTo(
              stack
                  .simulator()
                  .control()
                  .outputChecksum(event.getProviderTaskId(), OutputKind.VIDEO));
    }
    assertThat(fetched).containsExactlyInAnyOrderElementsOf(jobIds);
  }

  @Test
  void nodeConsumerDecodesOurEventsWithKafkajsAndConfluentSchemaRegistry() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
    Path nodeDir = Path.of("..", "examples", "node").toAbsolutePath().normalize();
    assertThat(nodeDir.resolve("consume-events.js")).isRegularFile();

    Run install =
        run(nodeDir, Duration.ofSeconds(240), "npm", "install", "--no-audit", "--no-fund");
    assertThat(install.code).as("npm install failed:%n%s", install.output).isZero();

    Run consume =
        run(
            nodeDir,
            Duration.ofSeconds(120),
            "node",
            "consume-events.js",
            bootstrap(),
            registry(),
            "2",
            "90");
    assertThat(consume.code).as("node consume-events.js:%n%s", consume.output).isZero();

    ObjectMapper json = new ObjectMapper();
    List<String> completed = new ArrayList<>();
    for (String line : consume.output.lines().filter(l -> l.startsWith("{")).toList()) {
      JsonNode node = json.readTree(line);
      assertThat(node.path("key").asText()).isEqualTo(node.path("jobId").asText());
      if (node.path("type").asText().equals("RenderCompleted")) {
        String jobId = node.path("jobId").asText();
        completed.add(jobId);
        RenderCompleted event = (RenderCompleted) events.eventsOf(jobId).get(0);
        JsonNode video = node.path("event").path("video");
        assertThat(video.path("sha256").asText()).isEqualTo(event.getVideo().getSha256());
        assertThat(video.path("uri").asText()).isEqualTo(event.getVideo().getUri());
        assertThat(node.path("event").path("metadata").path("tenant").asText()).isEqualTo("acme");
      }
    }
    assertThat(completed)
        .as("printed:%n%s", consume.output)
        .containsExactlyInAnyOrderElementsOf(jobIds);
  }

  @Test
  @Order(Integer.MAX_VALUE) // after the consumer, which counts the events of the Java publisher
  void nodeProducerPublishesACommandWithTheSelfContainedSchemaFile() throws Exception {
    assumeTrue(onPath("node") && onPath("npm"), "node and npm are not installed");
    Path nodeDir = Path.of("..", "examples", "node").toAbsolutePath().normalize();
    Path schema =
        Path.of("..", "schemas", "target", "schemas", "RestyleCommand.avsc")
            .toAbsolutePath()
            .normalize();
    assertThat(schema).as("written by the schemas build").isRegularFile();
    Run install =
        run(nodeDir, Duration.ofSeconds(240), "npm", "install", "--no-audit", "--no-fund");
    assertThat(install.code).as("npm install failed:%n%s", install.output).isZero();

    String jobId = "node-" + UUID.randomUUID();
    Run produce =
        run(
            nodeDir,
            Duration.ofSeconds(60),
            "node",
            "produce-restyle.js",
            bootstrap(),
            registry(),
            schema.toString(),
            jobId);
    assertThat(produce.code).as("node produce-restyle.js:%n%s", produce.output).isZero();
    assertThat(produce.output).contains("submitted jobId=" + jobId);
    assertThat(events.awaitTerminal(List.of(jobId), Duration.ofSeconds(60))).isEqualTo(1);
    RenderCompleted done = (RenderCompleted) events.eventsOf(jobId).get(0);
    assertThat(done.getMetadata()).containsEntry("origin", "node-example");
    assertThat(done.getPrompt()).isEqualTo("pixelated style");
  }

  private static String bootstrap() {
    return stack.kafka().bootstrapServers();
  }

  private static String registry() {
    return stack.registryUrl().orElseThrow();
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null
        && Stream.of(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }

  private record Run(int code, String output) {}

  /** Runs a command with stdout and stderr merged into one log file; kills it after the timeout. */
  private static Run run(Path dir, Duration timeout, String... command)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("examples-it-", ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean exited = p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, UTF_8);
    Files.deleteIfExists(log);
    return new Run(
        exited ? p.exitValue() : -1,
        exited ? output : output + "\n(killed after " + timeout.toSeconds() + " s)");
  }

  /** A PrintStream whose text the test reads back. */
  private static final class Output {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream stream = new PrintStream(bytes, true, UTF_8);

    String text() {
      return bytes.toString(UTF_8);
    }

    @Override
    public String toString() {
      return text();
    }
  }
}
