package io.renderrelay.worker.cli;

import static io.renderrelay.worker.cli.TestDlt.ACT_ONE;
import static io.renderrelay.worker.cli.TestDlt.DLT;
import static io.renderrelay.worker.cli.TestDlt.RESTYLE;
import static io.renderrelay.worker.cli.TestDlt.record;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

@Timeout(20)
class RenderRelayCliTest {

  private final FakeCli cli = new FakeCli();

  /** Every command path, e.g. [], [dlt], [dlt, list], ... */
  static List<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    FakeCli f = new FakeCli();
    CliContext ctx =
        new CliContext(
            null,
            new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()),
            g -> f,
            f.time,
            () -> 0L,
            null,
            java.util.Map.of());
    collect(RenderRelayCli.commandLine(ctx), new ArrayList<>(), paths);
    return paths;
  }

  private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
    out.add(List.copyOf(path));
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              path.add(name);
              collect(sub, path, out);
              path.remove(path.size() - 1);
            });
  }

  @Test
  void everyCommandIsReachable() {
    assertThat(commandPaths())
        .contains(
            List.of("dlt", "list"),
            List.of("dlt", "inspect"),
            List.of("dlt", "replay"),
            List.of("submit", "restyle"),
            List.of("submit", "act-one"),
            List.of("events", "tail"),
            List.of("jobs", "show"),
            List.of("jobs", "list"));
  }

  @ParameterizedTest
  @MethodSource("commandPaths")
  void helpExitsZeroAndDescribesEveryOption(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    assertThat(cli.run(args.toArray(String[]::new))).isZero();
    CommandLine cl =
        RenderRelayCli.commandLine(
            new CliContext(
                null,
                new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()),
                g -> cli,
                cli.time,
                () -> 0L,
                null,
                java.util.Map.of()));
    for (String p : path) {
      cl = cl.getSubcommands().get(p);
    }
    assertThat(cl.getCommandSpec().usageMessage().description()).isNotEmpty();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      assertThat(cli.out()).contains(o.longestName());
      assertThat(String.join(" ", o.description())).as(o.longestName()).isNotBlank();
    }
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void versionExitsZero() {
    assertThat(cli.run("--version")).isZero();
    assertThat(cli.out()).contains("render-relay 0.1.0");
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(List.of(), "Missing command: dlt, submit, events or jobs", "render-relay"),
        Arguments.of(
            List.of("dlt"), "Missing subcommand: list, inspect or replay", "render-relay dlt"),
        Arguments.of(
            List.of("dlt", "list", "--bogus"),
            "Unknown option: '--bogus'",
            "render-relay dlt list"),
        Arguments.of(
            List.of("dlt", "inspect", "--offset", "3"),
            "Missing required option: '--partition=P'",
            "render-relay dlt inspect"),
        Arguments.of(
            List.of("dlt", "inspect", "--partition", "x", "--offset", "1"),
            "'x' is not an int",
            "render-relay dlt inspect"),
        Arguments.of(
            List.of("dlt", "replay", "--rate", "fast"),
            "'fast' is not a rate",
            "render-relay dlt replay"),
        Arguments.of(
            List.of("dlt", "list", "--since", "last tuesday"),
            "'last tuesday' is not a time",
            "render-relay dlt list"),
        Arguments.of(
            List.of("dlt", "list", "--job-type", "video"),
            "'video' is not a job type (use restyle or act-one)",
            "render-relay dlt list"),
        Arguments.of(
            List.of("dlt", "list", "--reason", "NOPE"),
            "expected one of [NULL_KEY",
            "render-relay dlt list"),
        Arguments.of(
            List.of("dlt", "list", "--since", "1h", "--until", "2h"),
            "--until",
            "render-relay dlt list"),
        Arguments.of(
            List.of("dlt", "replay", "--from-beginning", "--since", "2h", "--dry-run"),
            "--from-beginning and --since exclude each other",
            "render-relay dlt replay"),
        Arguments.of(
            List.of("dlt", "replay", "--max", "0", "--dry-run"),
            "--max must be at least 1",
            "render-relay dlt replay"),
        Arguments.of(
            List.of("dlt", "replay"),
            "add --yes to confirm (stdin is not a terminal), or use --dry-run",
            "render-relay dlt replay"),
        Arguments.of(
            List.of("events", "tail", "--timeout", "soon"),
            "'soon' is not a duration",
            "render-relay events tail"),
        Arguments.of(
            List.of("submit", "restyle", "--video", "https://v"),
            "invalid RestyleCommand from the flags: $: missing required field 'prompt' (--prompt)"
                + " of RestyleCommand",
            "render-relay submit restyle"),
        Arguments.of(
            List.of("submit", "act-one", "--image", "https://i"),
            "missing required field 'performanceVideoUrl' (--video)",
            "render-relay submit act-one"),
        Arguments.of(
            List.of(
                "submit",
                "restyle",
                "--video",
                "v",
                "--prompt",
                "p",
                "--structure-transformation",
                "2"),
            "--structure-transformation must be between 0 and 1",
            "render-relay submit restyle"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void usageErrorsExitTwoWithOneClearLineAndAHint(
      List<String> args, String message, String command) {
    assertThat(cli.run(args.toArray(String[]::new))).isEqualTo(2);
    List<String> lines = cli.err().lines().toList();
    assertThat(lines.get(0)).startsWith("render-relay: ").contains(message);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("Try '" + command + " --help' for usage.");
    assertThat(cli.err()).doesNotContain("\tat ");
    assertThat(cli.out()).isEmpty();
    assertThat(cli.producer.history()).isEmpty();
  }

  @Test
  void theWorkersOwnSettingsReachTheClientsWithoutAnyOption(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path jaas = dir.resolve("jaas");
    java.nio.file.Files.writeString(jaas, "org.apache.kafka.common.security.plain.X required;\n");
    java.nio.file.Path config = dir.resolve("worker.properties");
    java.nio.file.Files.writeString(
        config, "topics.events=ops.events\nkafka.client.sasl.mechanism=PLAIN\n");
    cli.env.put("RENDER_RELAY_KAFKA_BOOTSTRAP_SERVERS", "k1:9093,k2:9093");
    cli.env.put("RENDER_RELAY_KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL");
    cli.env.put("RENDER_RELAY_KAFKA_CLIENT_SASL_JAAS_CONFIG_FILE", jaas.toString());
    cli.env.put("RENDER_RELAY_REGISTRY_URL", "https://reg.example:8081");
    cli.env.put("RENDER_RELAY_REGISTRY_BEARER_TOKEN", "registry-token-123");
    cli.env.put("RENDER_RELAY_TOPICS_DEAD_LETTER", "ops.dlt");
    cli.env.put("RENDER_RELAY_PROVIDER_API_KEY", ""); // worker-only keys are not the CLI's concern
    cli.consumer = TestDlt.consumer("ops.dlt", 1, List.of());
    assertThat(cli.run("dlt", "list", "--config", config.toString())).isZero();
    GlobalOptions g = cli.globals.get(0);
    assertThat(g.bootstrapServers()).isEqualTo("k1:9093,k2:9093");
    assertThat(g.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.plain.X required;");
    assertThat(g.registryUrl()).contains("https://reg.example:8081");
    assertThat(g.registry().bearerToken())
        .hasValueSatisfying(t -> assertThat(t.reveal()).isEqualTo("registry-token-123"));
    assertThat(g.topics())
        .isEqualTo(new GlobalOptions.Topics("ops.dlt", "ops.events", RESTYLE, ACT_ONE));
  }

  @Test
  void anInvalidSettingIsAUsageErrorThatNamesTheKeyAndHidesTheSecret() {
    cli.env.put("RENDER_RELAY_KAFKA_CLIENT_GROUP_ID", "mine");
    cli.env.put("RENDER_RELAY_REGISTRY_BASIC_AUTH_USER_INFO", "no-colon-secret");
    assertThat(cli.run("dlt", "list")).isEqualTo(2);
    assertThat(cli.err())
        .contains("kafka.client.group.id")
        .contains("registry.basic-auth-user-info")
        .doesNotContain("no-colon-secret");
    assertThat(cli.producer.history()).isEmpty();
  }

  @Test
  void globalOptionsReachTheClientFactory(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path props = dir.resolve("client.properties");
    java.nio.file.Files.writeString(props, "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");
    cli.consumer = TestDlt.consumer("ops.dlt", 1, List.of());
    assertThat(
            cli.run(
                "dlt",
                "list",
                "--bootstrap-servers",
                "k1:9093",
                "--command-config",
                props.toString(),
                "--dlt-topic",
                "ops.dlt",
                "--registry-url",
                "http://reg:8081"))
        .isZero();
    GlobalOptions g = cli.globals.get(0);
    assertThat(g.bootstrapServers()).isEqualTo("k1:9093");
    assertThat(g.registryUrl()).contains("http://reg:8081");
    assertThat(g.clientProperties())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(g.topics())
        .isEqualTo(new GlobalOptions.Topics("ops.dlt", "render.events", RESTYLE, ACT_ONE));
  }

  private void fillDlt() {
    cli.consumer =
        TestDlt.consumer(
            DLT,
            2,
            List.of(
                record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 10),
                record(0, 1, 1001, "job-2", "INVALID_COMMAND", ACT_ONE, 11),
                record(1, 0, 1002, "job-3", "UNDECODABLE", ACT_ONE, 12),
                record(1, 1, 1003, null, "NULL_KEY", null, 0)));
  }

  @Test
  void listPrintsOneLinePerMatchingRecord() {
    fillDlt();
    assertThat(cli.run("dlt", "list", "--reason", "UNDECODABLE")).isZero();
    assertThat(cli.out().lines())
        .containsExactlyInAnyOrder(
            "partition=0 offset=0 time=1970-01-01T00:00:01Z jobId=job-1 reason=UNDECODABLE source="
                + RESTYLE
                + "/3@10 exception=org.apache.kafka.common.errors.SerializationException"
                + " detail=\"cannot decode the command: bad magic byte 0x7b\"",
            "partition=1 offset=0 time=1970-01-01T00:00:01.002Z jobId=job-3 reason=UNDECODABLE"
                + " source="
                + ACT_ONE
                + "/3@12 exception=org.apache.kafka.common.errors.SerializationException"
                + " detail=\"cannot decode the command: bad magic byte 0x7b\"");
    assertThat(cli.err()).isEqualTo("2 record(s)" + System.lineSeparator());
  }

  @Test
  void listJsonAndLimit() throws Exception {
    fillDlt();
    assertThat(cli.run("dlt", "list", "--json", "--limit", "3", "--detail-width", "10")).isZero();
    List<String> lines = cli.out().lines().toList();
    assertThat(lines).hasSize(3);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("reason").asText()).isNotEmpty();
    assertThat(first.get("sourcePartition").asInt()).isEqualTo(3);
    assertThat(first.has("detail")).isTrue();
  }

  @Test
  void replayWithYesSendsTheFilteredRecordsAndPrintsTheSummary() {
    fillDlt();
    assertThat(
            cli.run(
                "dlt",
                "replay",
                "--yes",
                "--job-type",
                "act-one",
                "--rate",
                "100/s",
                "--await",
                "0s"))
        .isZero();
    assertThat(cli.producer.history()).extracting(r -> r.topic()).containsExactly(ACT_ONE, ACT_ONE);
    assertThat(cli.out().lines().toList()).last().isEqualTo("replayed=2 skipped=0 dry_run=false");
  }

  @Test
  void replayCountsRecordsWithoutSourceAsSkipped() {
    fillDlt();
    assertThat(
            cli.run("dlt", "replay", "--yes", "--reason", "NULL_KEY,UNDECODABLE", "--await", "0s"))
        .isZero();
    assertThat(cli.out().lines().toList()).last().isEqualTo("replayed=2 skipped=1 dry_run=false");
    assertThat(cli.err()).contains("skipped 1: no rr.dlt.source.topic header and no --to");
  }

  @Test
  void replayDryRunSendsNothing() {
    fillDlt();
    assertThat(cli.run("dlt", "replay", "--dry-run", "--to", "quarantine")).isZero();
    assertThat(cli.producer.history()).isEmpty();
    assertThat(cli.out())
        .contains("would replay partition=1 offset=1 jobId=- -> quarantine replay=1");
    assertThat(cli.out().lines().toList()).last().isEqualTo("replayed=4 skipped=0 dry_run=true");
  }

  @Test
  void replayAsksOnATerminalAndAbortsOnNo() {
    fillDlt();
    cli.stdinTerminal = true;
    assertThat(cli.run("dlt", "replay")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo("render-relay: aborted: nothing was sent" + System.lineSeparator());
    assertThat(cli.producer.history()).isEmpty();
  }

  @Test
  void inspectDecodesTheAvroValue() throws Exception {
    byte[] value = cli.serde.serializer().serialize(RESTYLE, ValueDecoderTest.command("job-7"));
    var r = record(0, 0, 1000, "job-7", "INVALID_COMMAND", RESTYLE, 5);
    cli.consumer =
        TestDlt.consumer(
            DLT,
            1,
            List.of(
                new org.apache.kafka.clients.consumer.ConsumerRecord<>(
                    DLT,
                    0,
                    0,
                    1000L,
                    org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                    -1,
                    value.length,
                    r.key(),
                    value,
                    r.headers(),
                    java.util.Optional.empty())));
    assertThat(cli.run("dlt", "inspect", "--partition", "0", "--offset", "0", "--json")).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out());
    assertThat(doc.get("value").get("decoded").asBoolean()).isTrue();
    assertThat(doc.get("value").get("json").get("prompt").asText()).isEqualTo("pixelated style");
    assertThat(doc.get("headers").toString()).contains("[\"rr.dlt.reason\",\"INVALID_COMMAND\"]");
  }

  @Test
  void inspectShowsUndecodableBytesAndWhy() {
    cli.consumer =
        TestDlt.consumer(DLT, 1, List.of(record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 5)));
    assertThat(cli.run("dlt", "inspect", "--partition", "0", "--offset", "0")).isZero();
    assertThat(cli.out())
        .contains("headers\n  origin: upstream-a\n  rr.dlt.reason: UNDECODABLE")
        .contains(
            "value    not decoded: not Confluent-framed Avro: the first byte is 0x76, not the magic"
                + " byte 0x00")
        .contains("  text: value-of-job-1");
  }

  @Test
  void failuresAreOneLineAndStackTracesOnlyWithVerbose() {
    cli.consumer =
        TestDlt.consumer(DLT, 1, List.of(record(0, 0, 1000, "job-1", "UNDECODABLE", RESTYLE, 5)));
    assertThat(cli.run("dlt", "inspect", "--partition", "0", "--offset", "9")).isEqualTo(1);
    assertThat(cli.err())
        .isEqualTo(
            "render-relay: no record at render.dlt-0 offset 9: the partition holds offsets 0 to 0"
                + System.lineSeparator());

    FakeCli verbose = new FakeCli();
    verbose.consumer = TestDlt.consumer(DLT, 1, List.of());
    assertThat(verbose.run("dlt", "inspect", "--partition", "4", "--offset", "0", "--verbose"))
        .isEqualTo(1);
    assertThat(verbose.err())
        .startsWith("render-relay: render.dlt has no partition 4")
        .contains("\tat io.renderrelay");
  }

  @Test
  void submitRestylePublishesTheAvroCommandKeyedByJobId() {
    assertThat(
            cli.run(
                "submit",
                "restyle",
                "--job-id",
                "j-42",
                "--video",
                "https://cdn/v.mp4",
                "--prompt",
                "pixelated style",
                "--flip",
                "--metadata",
                "order=7",
                "--deadline",
                "2h"))
        .isZero();
    assertThat(cli.out())
        .isEqualTo(
            "jobId=j-42 topic=" + RESTYLE + " partition=0 offset=0" + System.lineSeparator());
    var sent = cli.producer.history().get(0);
    assertThat(new String(sent.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("j-42");
    var cmd =
        (io.renderrelay.avro.RestyleCommand)
            cli.serde.deserializer(true).deserialize(RESTYLE, sent.value());
    assertThat(cmd.getPrompt()).isEqualTo("pixelated style");
    assertThat(cmd.getOptions().getFlip()).isTrue();
    assertThat(cmd.getMetadata()).containsEntry("order", "7");
    assertThat(cmd.getRequestedAt()).isEqualTo(FakeCli.NOW);
    assertThat(cmd.getDeadline()).isEqualTo(FakeCli.NOW.plusSeconds(7200));
  }

  @Test
  void submitActOneFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("cmd.json");
    java.nio.file.Files.writeString(
        file,
        "{\"jobId\":\"a-1\",\"performanceVideoUrl\":\"https://p\",\"characterImageUrl\":\"https://c\"}");
    assertThat(cli.run("submit", "act-one", "--file", file.toString())).isZero();
    assertThat(cli.out()).startsWith("jobId=a-1 topic=" + ACT_ONE);
    var cmd =
        (io.renderrelay.avro.ActOneCommand)
            cli.serde
                .deserializer(true)
                .deserialize(ACT_ONE, cli.producer.history().get(0).value());
    assertThat(cmd.getCharacterImageUrl()).isEqualTo("https://c");
  }

  @Test
  void submitFromABrokenFileNamesTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("cmd.json");
    java.nio.file.Files.writeString(
        file, "{\"jobId\":\"a-1\",\"performanceVideoUrl\":\"https://p\"}");
    assertThat(cli.run("submit", "act-one", "--file", file.toString())).isEqualTo(2);
    assertThat(cli.err())
        .startsWith(
            "render-relay: invalid ActOneCommand from "
                + file
                + ": $: missing required field 'characterImageUrl' (--image) of ActOneCommand");
    FakeCli missing = new FakeCli();
    assertThat(missing.run("submit", "act-one", "--file", dir.resolve("nope.json").toString()))
        .isEqualTo(1);
    assertThat(missing.err()).startsWith("render-relay: cannot read " + dir.resolve("nope.json"));
  }
}
