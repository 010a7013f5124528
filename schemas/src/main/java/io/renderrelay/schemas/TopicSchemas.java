package io.renderrelay.schemas;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/**
 * The schemas that clients of render-relay write or read: the two commands and the two events. The
 * build writes each one self-contained (every referenced named type defined inline, as Avro's own
 * JSON form of a parsed schema has it) to {@code schemas/target/schemas/<Name>.avsc}, for clients
 * without the generated classes (Node.js, Python, Go): {@code src/main/avro} files refer to each
 * other and do not parse alone.
 */
public final class TopicSchemas {

  /** Commands (written by clients) and events (read by them). */
  public static final List<Schema> ALL =
      List.of(
          RestyleCommand.getClassSchema(),
          ActOneCommand.getClassSchema(),
          RenderCompleted.getClassSchema(),
          RenderFailed.getClassSchema());

  private TopicSchemas() {}

  /** The self-contained JSON of {@code schema}, pretty-printed. */
  public static String selfContained(Schema schema) {
    return schema.toString(true) + "\n";
  }

  /** Writes every schema of {@link #ALL} to {@code <dir>/<Name>.avsc}; returns the files. */
  public static List<Path> writeAll(Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new java.util.ArrayList<>();
    for (Schema s : ALL) {
      Path file = dir.resolve(s.getName() + ".avsc");
      Files.writeString(file, selfContained(s), StandardCharsets.UTF_8);
      files.add(file);
    }
    return files;
  }

  /** The build's generator: {@code TopicSchemas <output dir>}. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: TopicSchemas <output dir>");
    }
    writeAll(Path.of(args[0]));
  }
}
