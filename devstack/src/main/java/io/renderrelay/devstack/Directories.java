package io.renderrelay.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Small file-system helpers for the embedded servers' data directories. */
public final class Directories {
  private Directories() {}

  /** Creates a fresh temporary directory named {@code render-relay-<prefix>-...}. */
  static Path createTemp(String prefix) {
    try {
      return Files.createTempDirectory("render-relay-" + prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for " + prefix, e);
    }
  }

  /** Creates {@code dir} and its parents if missing, and returns it. */
  public static Path ensure(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + dir, e);
    }
  }

  /** {@code dir} created if missing, or without one a fresh temporary directory. */
  public static Path ensureOrTemp(Optional<Path> dir, String prefix) {
    return dir.map(Directories::ensure).orElseGet(() -> createTemp(prefix));
  }

  /** Deletes {@code dir} and everything below it; a missing directory is not an error. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete directory " + dir, e);
    }
  }
}
