package io.renderrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/asyncapi.yaml honest: its embedded Avro schemas must equal the .avsc files, its
 * channel addresses the {@link Topics} defaults, and its header names the {@link DltHeaders}
 * constants.
 */
class AsyncApiDriftTest {

  /** .avsc files of the public message types: their schemas are embedded in the doc. */
  static final Set<String> PUBLIC =
      Set.of(
          "RestyleCommand.avsc", "ActOneCommand.avsc", "RenderCompleted.avsc", "RenderFailed.avsc");

  /** .avsc files defining only types used inside other schemas (embedded inline in the doc). */
  static final Set<String> INLINE_ONLY = Set.of("Common.avsc", "RenderOutput.avsc");

  /** .avsc files of internal topics: documented, but their schemas are not part of the contract. */
  static final Set<String> INTERNAL = Set.of("PollTicket.avsc", "JobState.avsc", "SpendEntry.avsc");

  /** Parse order: files whose types others reference come first. */
  static final List<String> PARSE_FIRST =
      List.of("Common.avsc", "RenderOutput.avsc", "RestyleCommand.avsc", "ActOneCommand.avsc");

  static final String AVRO_FORMAT = "application/vnd.apache.avro+json;version=1.9.0";

  static Path root;
  static JsonNode doc;
  static Map<String, Schema> fileSchemas;

  @BeforeAll
  static void load() throws IOException {
    root = findRoot();
    doc = new YAMLMapper().readTree(root.resolve("docs/asyncapi.yaml").toFile());
    fileSchemas = parseAvscFiles(root.resolve("schemas/src/main/avro"));
  }

  static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/asyncapi.yaml"))
          && Files.isDirectory(p.resolve("schemas/src/main/avro"))) {
        return p;
      }
    }
    throw new IllegalStateException("no docs/asyncapi.yaml above " + Path.of("").toAbsolutePath());
  }

  /** Parses every .avsc file with one parser; returns the schemas of the public message files. */
  static Map<String, Schema> parseAvscFiles(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = new ArrayList<>(s.filter(f -> f.toString().endsWith(".avsc")).sorted().toList());
    }
    files.sort((a, b) -> rank(a) - rank(b));
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> out = new HashMap<>();
    for (Path f : files) {
      Schema s = parser.parse(f.toFile());
      String name = f.getFileName().toString();
      if (!PUBLIC.contains(name) && !INLINE_ONLY.contains(name) && !INTERNAL.contains(name)) {
        throw new IllegalStateException(
            "new schema file "
                + name
                + ": classify it in AsyncApiDriftTest (public, inline-only or"
                + " internal) and document it in docs/asyncapi.yaml");
      }
      if (PUBLIC.contains(name)) {
        out.put(s.getFullName(), s);
      }
    }
    return out;
  }

  static int rank(Path f) {
    int i = PARSE_FIRST.indexOf(f.getFileName().toString());
    return i < 0 ? PARSE_FIRST.size() : i;
  }

  @Test
  void everyAvroPayloadEqualsItsAvscFileAndEveryMessageSchemaIsDocumented() throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> documented = new TreeSet<>();
    List<String> drift = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it =
            doc.at("/components/messages").properties().iterator();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      JsonNode payload = m.getValue().path("payload");
      if (!payload.has("schemaFormat")) {
        continue;
      }
      assertThat(payload.path("schemaFormat").asText()).as(m.getKey()).isEqualTo(AVRO_FORMAT);
      Schema embedded = new Schema.Parser().parse(json.writeValueAsString(payload.path("schema")));
      documented.add(embedded.getFullName());
      Schema expected = fileSchemas.get(embedded.getFullName());
      if (expected == null) {
        drift.add(m.getKey() + ": no .avsc file defines " + embedded.getFullName());
      } else if (!expected.equals(embedded)) {
        drift.add(
            m.getKey()
                + " differs from its .avsc file; expected (self-contained):\n"
                + org.apache.avro.SchemaFormatter.format("json/pretty", expected));
      }
    }
    if (!drift.isEmpty()) {
      fail("docs/asyncapi.yaml drifted from schemas/src/main/avro:\n" + String.join("\n", drift));
    }
    assertThat(documented).isEqualTo(new TreeSet<>(fileSchemas.keySet()));
  }

  @Test
  void channelAddressesAreTheDefaultTopicNames() {
    Set<String> addresses = new HashSet<>();
    doc.path("channels")
        .forEach(
            ch -> {
              String address = ch.path("address").asText();
              addresses.add(address);
              JsonNode bindingTopic = ch.at("/bindings/kafka/topic");
              if (!bindingTopic.isMissingNode()) {
                assertThat(bindingTopic.asText())
                    .as("kafka binding topic of " + address)
                    .isEqualTo(address);
              }
            });
    assertThat(addresses)
        .containsExactlyInAnyOrder(
            Topics.RESTYLE_COMMANDS,
            Topics.ACT_ONE_COMMANDS,
            Topics.EVENTS,
            Topics.DEAD_LETTER,
            Topics.JOBS,
            Topics.POLL_PREFIX + "{tier}");
  }

  @Test
  void internalChannelsAreMarkedInternal() {
    for (String channel : List.of("pollTickets", "jobLedger")) {
      assertThat(doc.at("/channels/" + channel + "/description").asText())
          .as(channel)
          .contains("Internal to render-relay");
    }
  }

  @Test
  void channelsCarryTheRightMessages() {
    assertThat(messageNames("restyleCommands")).containsExactly("RestyleCommand");
    assertThat(messageNames("actOneCommands")).containsExactly("ActOneCommand");
    assertThat(messageNames("renderEvents"))
        .containsExactlyInAnyOrder("RenderCompleted", "RenderFailed");
    assertThat(messageNames("deadLetters")).containsExactly("DeadLetter");
  }

  List<String> messageNames(String channel) {
    List<String> names = new ArrayList<>();
    doc.at("/channels/" + channel + "/messages")
        .forEach(
            m -> {
              String ref = m.path("$ref").asText();
              names.add(ref.substring(ref.lastIndexOf('/') + 1));
            });
    return names;
  }

  @Test
  void dltHeaderNamesAreTheDltHeadersConstants() {
    Set<String> names = new TreeSet<>();
    doc.at("/components/messages/DeadLetter/headers/properties")
        .fieldNames()
        .forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            DltHeaders.REASON,
            DltHeaders.EXCEPTION,
            DltHeaders.SOURCE_TOPIC,
            DltHeaders.SOURCE_PARTITION,
            DltHeaders.SOURCE_OFFSET,
            DltHeaders.TIME,
            DltHeaders.DETAIL);
    doc.at("/components/messages/DeadLetter/headers/required")
        .forEach(r -> assertThat(names).contains(r.asText()));
  }

  @Test
  void replayHeaderNamesAreTheDltHeadersConstants() {
    Set<String> names = new TreeSet<>();
    doc.at("/components/schemas/ReplayHeaders/properties")
        .fieldNames()
        .forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            DltHeaders.REPLAY_COUNT,
            DltHeaders.REPLAY_TIME,
            DltHeaders.REPLAY_SOURCE_OFFSET,
            DltHeaders.REPLAY_SOURCE_PARTITION);
    for (String command : List.of("RestyleCommand", "ActOneCommand")) {
      assertThat(doc.at("/components/messages/" + command + "/headers/$ref").asText())
          .isEqualTo("#/components/schemas/ReplayHeaders");
    }
  }

  @Test
  void traceHeaderNamesAreTheTraceHeadersConstantsAndEventsCarryThem() {
    Set<String> names = new TreeSet<>();
    doc.at("/components/schemas/TraceHeaders/properties").fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(TraceHeaders.ALL);
    for (String event : List.of("RenderCompleted", "RenderFailed")) {
      assertThat(doc.at("/components/messages/" + event + "/headers/$ref").asText())
          .isEqualTo("#/components/schemas/TraceHeaders");
    }
  }

  @Test
  void detectsDrift() throws IOException {
    // The comparison itself must be able to fail: a changed default or an extra field differs.
    Schema restyle = fileSchemas.get("io.renderrelay.avro.RestyleCommand");
    String changed = restyle.toString().replace("\"gen4\"", "\"gen5\"");
    assertThat(new Schema.Parser().parse(changed)).isNotEqualTo(restyle);
    assertThat(new Schema.Parser().parse(restyle.toString())).isEqualTo(restyle);
  }
}
