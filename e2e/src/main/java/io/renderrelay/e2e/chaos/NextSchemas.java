package io.renderrelay.e2e.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.SchemaParser;
import org.apache.avro.compiler.specific.SpecificCompiler;
import org.apache.avro.generic.GenericData;

/**
 * Builds the next schema version (N+1) of this build's schemas (N) into a scratch directory, as the
 * schemas module would after a compatible change: an added optional field {@value #FIELD} in {@code
 * RestyleCommand} and in {@code JobState}, classes generated with the schemas module's compiler
 * settings and compiled against this classpath, and the released sets of N plus N itself as the
 * last released version. A worker JVM with that directory first on its classpath is a worker of
 * release N+1; nothing is installed anywhere.
 */
final class NextSchemas {

  /** The field N+1 adds. */
  static final String FIELD = "priority";

  private static final String RELEASED = "io/renderrelay/avro/released/";
  private static final Set<String> CHANGED = Set.of("RestyleCommand", "JobState");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The build.
   *
   * @param classes the directory to put first on an N+1 worker's classpath
   * @param currentVersion the released version N's internal records are written with ({@code
   *     ledger.write-schema-version} of N+1 workers in the first upgrade step)
   * @param nextJobState N+1's JobState schema (its fingerprint marks N+1 ledger entries)
   */
  record Build(Path classes, String currentVersion, Schema nextJobState) {
    long nextFingerprint() {
      return SchemaNormalization.parsingFingerprint64(nextJobState);
    }
  }

  private NextSchemas() {}

  /** Builds N+1 into {@code dir}, replacing what an earlier run left there. */
  static Build build(Path dir) throws IOException {
    deleteTree(dir);
    Path src = Files.createDirectories(dir.resolve("avro"));
    Path java = Files.createDirectories(dir.resolve("java"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    List<String> releases = lines(read(RELEASED + "releases.txt"));
    String[] last = releases.getLast().split("\\s+");
    List<String> files = Arrays.asList(last).subList(1, last.length);
    Map<String, String> current = new LinkedHashMap<>();
    for (String f : files) {
      current.put(f, read("avro/" + f));
    }
    // N: the last released set if the current schemas are that set, else a version after it
    String version = last[0];
    boolean released = true;
    for (String f : files) {
      released &= current.get(f).equals(read(RELEASED + last[0] + "/" + f));
    }
    List<String> index = new ArrayList<>(releases);
    if (!released) {
      String[] v = last[0].split("\\.");
      version = v[0] + "." + v[1] + "." + (Integer.parseInt(v[2]) + 1);
      index.add(version + " " + String.join(" ", files));
    }
    copyReleased(releases, classes);
    Path thisRelease = Files.createDirectories(classes.resolve(RELEASED + version));
    Map<String, Schema> next = new LinkedHashMap<>();
    SchemaParser parser = new SchemaParser();
    for (Map.Entry<String, String> f : current.entrySet()) {
      Files.writeString(thisRelease.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      String changed = withField(f.getValue());
      Files.writeString(src.resolve(f.getKey()), changed, StandardCharsets.UTF_8);
      parser.parse(changed);
    }
    Files.writeString(
        classes.resolve(RELEASED + "releases.txt"),
        String.join("\n", index) + "\n",
        StandardCharsets.UTF_8);
    parser.getParsedNamedSchemas().forEach(s -> next.put(s.getFullName(), s));
    compile(next.values(), java, classes);
    Files.createDirectories(classes.resolve("avro"));
    for (String f : files) {
      Files.copy(src.resolve(f), classes.resolve("avro/" + f));
    }
    return new Build(classes, version, next.get("io.renderrelay.avro.JobState"));
  }

  /** The schema file with {@link #FIELD} appended to the records N+1 changes. */
  static String withField(String avsc) throws IOException {
    if (!(JSON.readTree(avsc) instanceof ObjectNode schema)
        || !CHANGED.contains(schema.path("name").asText())) {
      return avsc; // e.g. Common.avsc, an array of named types
    }
    ArrayNode fields = (ArrayNode) schema.get("fields");
    ObjectNode field = fields.addObject();
    field.put("name", FIELD);
    field.putArray("type").add("null").add("int");
    field.putNull("default");
    field.put("doc", "Added by the next release (chaos --scenario upgrade); optional.");
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(schema);
  }

  private static void compile(Iterable<Schema> schemas, Path java, Path classes)
      throws IOException {
    List<Schema> all = new ArrayList<>();
    schemas.forEach(all::add);
    SpecificCompiler compiler = new SpecificCompiler(all);
    compiler.setStringType(GenericData.StringType.String);
    compiler.setEnableDecimalLogicalType(true);
    compiler.compileToDestination(null, java.toFile());
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-nowarn",
            "-proc:none",
            "--release",
            "21",
            "-d",
            classes.toString(),
            "-cp",
            System.getProperty("java.class.path")));
    try (Stream<Path> sources = Files.walk(java)) {
      sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no Java compiler in " + System.getProperty("java.home"));
    }
    int rc = javac.run(null, null, System.err, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException(
          "compiling the next schema version failed (javac " + rc + ")");
    }
  }

  private static void copyReleased(List<String> releases, Path classes) throws IOException {
    for (String line : releases) {
      String[] parts = line.split("\\s+");
      Path dir = Files.createDirectories(classes.resolve(RELEASED + parts[0]));
      for (String f : Arrays.asList(parts).subList(1, parts.length)) {
        Files.writeString(
            dir.resolve(f), read(RELEASED + parts[0] + "/" + f), StandardCharsets.UTF_8);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static List<String> lines(String index) {
    return index
        .lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static String read(String resource) {
    try (InputStream in = NextSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
