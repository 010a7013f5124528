package io.renderrelay.worker.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Writes a document generated from code to {@code args[0]} or its default path. */
public final class GeneratedDoc {

  private GeneratedDoc() {}

  public static void write(String[] args, String defaultPath, Supplier<String> content)
      throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : defaultPath);
    if (target.getParent() != null) {
      Files.createDirectories(target.getParent());
    }
    Files.writeString(target, content.get(), StandardCharsets.UTF_8);
    System.out.println("wrote " + target.toAbsolutePath());
  }
}
