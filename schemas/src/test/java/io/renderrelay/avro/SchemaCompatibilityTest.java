package io.renderrelay.avro;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParser;
import org.junit.jupiter.api.Test;

/**
 * BACKWARD compatibility gate: every top-level record of the last released schema set ({@code
 * src/main/resources/io/renderrelay/avro/released/<version>}) must be readable by the current
 * schema of the same name, so consumers on the new code read everything already on the topics.
 * Removing a released record fails the gate too. The internal records (ledger entries and poll
 * tickets, which the worker decodes with every released writer schema) must stay readable from
 * every released version, not only the last. Release procedure: copy src/main/avro to a new
 * released/&lt;version&gt; directory and add its line to released/releases.txt.
 */
class SchemaCompatibilityTest {

  static final Path CURRENT = Path.of("src/main/avro");
  static final Path RELEASED_ROOT = Path.of("src/main/resources/io/renderrelay/avro/released");
  static final ReleasedSchemas RELEASES = ReleasedSchemas.load();
  static final Path RELEASED = RELEASED_ROOT.resolve(RELEASES.versions().getLast());
  static final List<String> INTERNAL =
      List.of("io.renderrelay.avro.JobState", "io.renderrelay.avro.PollTicket");

  @Test
  void currentSchemasReadDataWrittenWithTheReleasedOnes() throws IOException {
    Map<String, Schema> released = topLevelRecords(RELEASED);
    Map<String, Schema> current = topLevelRecords(CURRENT);
    assertThat(released).as("released schema set in %s", RELEASED).isNotEmpty();

    List<String> problems = incompatibilities(released, current);

    assertThat(problems)
        .as("BACKWARD incompatible changes against release %s", RELEASED.getFileName())
        .isEmpty();
  }

  @Test
  void internalRecordsOfEveryReleasedVersionDecodeWithTheGeneratedClasses() {
    Map<String, Schema> readers =
        Map.of(
            "io.renderrelay.avro.JobState", JobState.getClassSchema(),
            "io.renderrelay.avro.PollTicket", PollTicket.getClassSchema());
    List<String> problems = new ArrayList<>();
    for (String version : RELEASES.versions()) {
      Map<String, Schema> released = new LinkedHashMap<>();
      INTERNAL.forEach(
          name -> {
            Schema writer = RELEASES.version(version).get(name);
            assertThat(writer).as("%s in release %s", name, version).isNotNull();
            released.put(name, writer);
          });
      incompatibilities(released, readers).forEach(p -> problems.add(version + ": " + p));
    }
    assertThat(problems).as("internal records a released version wrote").isEmpty();
  }

  @Test
  void theGateReportsAnInternalRecordThatAnOlderReleaseCannotBeReadWith() {
    Schema writer = RELEASES.version(RELEASES.versions().getFirst()).get(INTERNAL.getFirst());
    // a JobState whose embedded RestyleCommand gained a field without default
    Map<String, Schema> broken = new LinkedHashMap<>();
    broken.put(
        INTERNAL.getFirst(),
        new Schema.Parser()
            .parse(
                JobState.getClassSchema()
                    .toString()
                    .replace(
                        "{\"name\":\"prompt\",",
                        "{\"name\":\"tenant\",\"type\":\"string\"},{\"name\":\"prompt\",")));

    assertThat(incompatibilities(Map.of(INTERNAL.getFirst(), writer), broken))
        .singleElement()
        // Avro reports the embedded record's change as a union branch it cannot match
        .satisfies(p -> assertThat(p).contains("JobState", "MISSING_UNION_BRANCH", "restyle"));
  }

  @Test
  void theReleaseIndexListsEveryReleasedDirectoryWithAllItsFiles() throws IOException {
    Map<String, List<String>> onDisk = new LinkedHashMap<>();
    try (Stream<Path> dirs = Files.list(RELEASED_ROOT)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> files = Files.list(dir)) {
          onDisk.put(
              dir.getFileName().toString(),
              files.map(f -> f.getFileName().toString()).sorted().toList());
        }
      }
    }
    Map<String, List<String>> indexed = new LinkedHashMap<>();
    for (String line : Files.readAllLines(RELEASED_ROOT.resolve("releases.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        List<String> parts = List.of(line.strip().split("\\s+"));
        indexed.put(parts.getFirst(), parts.subList(1, parts.size()).stream().sorted().toList());
      }
    }
    assertThat(indexed).isEqualTo(onDisk);
    assertThat(RELEASES.versions()).containsExactlyElementsOf(indexed.keySet());
  }

  @Test
  void everyCurrentTopLevelRecordHasItsGeneratedClass() throws IOException {
    Map<String, Schema> current = topLevelRecords(CURRENT);
    assertThat(current.keySet())
        .contains(
            "io.renderrelay.avro.RestyleCommand",
            "io.renderrelay.avro.RestyleOptions",
            "io.renderrelay.avro.JobState");
    // generated classes carry avro.java.string properties; compare the parsing canonical form
    assertThat(
            SchemaNormalization.parsingFingerprint64(
                current.get("io.renderrelay.avro.RenderCompleted")))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(RenderCompleted.getClassSchema()));
  }

  @Test
  void theGateReportsAnIncompatibleChange() throws IOException {
    Map<String, Schema> released = topLevelRecords(RELEASED);
    Map<String, Schema> broken = new LinkedHashMap<>(topLevelRecords(CURRENT));
    Schema output = broken.get("io.renderrelay.avro.RenderOutput");
    // a new field without default: the new reader cannot read released data
    var fields = SchemaBuilder.record(output.getName()).namespace(output.getNamespace()).fields();
    for (Schema.Field f : output.getFields()) {
      fields = fields.name(f.name()).type(f.schema()).noDefault();
    }
    broken.put(output.getFullName(), fields.requiredString("etag").endRecord());
    broken.remove("io.renderrelay.avro.PollTicket");

    List<String> problems = incompatibilities(released, broken);

    assertThat(problems).hasSize(2);
    assertThat(problems)
        .anySatisfy(
            p ->
                assertThat(p)
                    .contains("io.renderrelay.avro.RenderOutput")
                    .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                    .contains("etag"));
    assertThat(problems)
        .anySatisfy(
            p -> assertThat(p).contains("io.renderrelay.avro.PollTicket").contains("removed"));
  }

  @Test
  void theGateReportsAChangedFieldType() throws IOException {
    Map<String, Schema> released = topLevelRecords(RELEASED);
    Map<String, Schema> broken = new LinkedHashMap<>(topLevelRecords(CURRENT));
    Schema ticket = broken.get("io.renderrelay.avro.PollTicket");
    List<Schema.Field> fields =
        ticket.getFields().stream()
            .map(
                f ->
                    f.name().equals("seq")
                        ? new Schema.Field("seq", Schema.create(Schema.Type.STRING))
                        : new Schema.Field(f, f.schema()))
            .toList();
    Schema changed =
        Schema.createRecord(
            ticket.getName(), ticket.getDoc(), ticket.getNamespace(), false, fields);
    broken.put(ticket.getFullName(), changed);

    assertThat(incompatibilities(released, broken))
        .singleElement()
        .satisfies(
            p ->
                assertThat(p)
                    .contains("io.renderrelay.avro.PollTicket")
                    .contains("TYPE_MISMATCH")
                    .contains("seq"));
  }

  /** One message per released record that the current set cannot read. */
  static List<String> incompatibilities(Map<String, Schema> released, Map<String, Schema> current) {
    List<String> problems = new ArrayList<>();
    released.forEach(
        (name, writer) -> {
          Schema reader = current.get(name);
          if (reader == null) {
            problems.add(
                name + ": removed, but it was released; data written with it is unreadable");
            return;
          }
          SchemaPairCompatibility result =
              SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
          if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            result
                .getResult()
                .getIncompatibilities()
                .forEach(
                    i ->
                        problems.add(
                            name
                                + ": current schema cannot read data written with the released one: "
                                + i.getType()
                                + " at field "
                                + fieldPath(reader, i.getLocation())
                                + " ("
                                + i.getLocation()
                                + "): "
                                + i.getMessage()));
          }
        });
    return problems;
  }

  /** Turns a JSON pointer like /fields/2/type into a dotted field path of the reader schema. */
  static String fieldPath(Schema reader, String pointer) {
    List<String> names = new ArrayList<>();
    Schema at = reader;
    String[] parts = pointer.split("/");
    for (int i = 1; i < parts.length && at != null; i++) {
      String part = parts[i];
      if (part.equals("fields") && i + 1 < parts.length && at.getType() == Schema.Type.RECORD) {
        Schema.Field f = at.getFields().get(Integer.parseInt(parts[++i]));
        names.add(f.name());
        at = f.schema();
      } else if (part.equals("items") && at.getType() == Schema.Type.ARRAY) {
        at = at.getElementType();
      } else if (part.equals("values") && at.getType() == Schema.Type.MAP) {
        at = at.getValueType();
      } else if (part.chars().allMatch(Character::isDigit) && at.getType() == Schema.Type.UNION) {
        at = at.getTypes().get(Integer.parseInt(part));
      } else if (!part.equals("type")) {
        break;
      }
    }
    return names.isEmpty() ? "<record>" : String.join(".", names);
  }

  /** Parses every .avsc of a directory together and returns the records defined at top level. */
  static Map<String, Schema> topLevelRecords(Path dir) throws IOException {
    SchemaParser parser = new SchemaParser();
    List<SchemaParser.ParseResult> results = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
        results.add(parser.parse(file));
      }
    }
    Map<String, Schema> resolved = new LinkedHashMap<>();
    parser.getParsedNamedSchemas().forEach(s -> resolved.put(s.getFullName(), s));
    Map<String, Schema> records = new LinkedHashMap<>();
    for (SchemaParser.ParseResult result : results) {
      Schema main = result.mainSchema();
      List<Schema> tops = main.getType() == Schema.Type.UNION ? main.getTypes() : List.of(main);
      tops.stream()
          .map(s -> resolved.get(s.getFullName()))
          .filter(s -> s != null && s.getType() == Schema.Type.RECORD)
          .forEach(s -> records.put(s.getFullName(), s));
    }
    return records;
  }
}
