package io.renderrelay.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes {@code results.json}: the run (mode, time, JDK, cores) and one object per benchmark
 * figure. Rewritten after every benchmark, so a failed run keeps what it measured.
 */
public final class ResultsWriter {

  private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private final Path file;

  public ResultsWriter(Path file) {
    this.file = file;
  }

  /** Writes all results so far (and the failures, by benchmark name). */
  public void write(
      boolean quick, Instant started, List<BenchResult> results, List<String> failures)
      throws IOException {
    ObjectNode root = json.createObjectNode();
    root.put("mode", quick ? "quick" : "full");
    root.put("started", started.toString());
    root.put("jdk", Host.jdk());
    root.put("cores", Host.cores());
    root.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    root.set("benchmarks", json.valueToTree(results));
    root.set("failures", json.valueToTree(failures));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    json.writeValue(tmp.toFile(), root);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
