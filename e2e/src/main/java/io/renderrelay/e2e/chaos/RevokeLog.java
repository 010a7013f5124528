package io.renderrelay.e2e.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts, from the worker logs, how many partitions the workers gave up in revoke drains (the
 * engine's line {@code drain for revoke of N partitions done}) between a mark and now: with eager
 * rebalancing every worker revokes all it owns at each step, with incremental rebalancing only the
 * partitions that move.
 */
final class RevokeLog {

  private static final Pattern DRAIN = Pattern.compile("revoke of (\\d+) partitions done");

  private final Path dir;

  RevokeLog(Path dir) {
    this.dir = dir;
  }

  /** The current length, in lines, of every worker log. */
  Map<Path, Integer> mark() {
    Map<Path, Integer> out = new HashMap<>();
    for (Path p : logFiles()) {
      out.put(p, lines(p).size());
    }
    return out;
  }

  /** Partitions revoked (summed over drains and workers) in lines written after {@code mark}. */
  int revokedSince(Map<Path, Integer> mark) {
    int revoked = 0;
    for (Path p : logFiles()) {
      List<String> lines = lines(p);
      for (String line :
          lines.subList(Math.min(mark.getOrDefault(p, 0), lines.size()), lines.size())) {
        Matcher m = DRAIN.matcher(line);
        if (m.find()) {
          revoked += Integer.parseInt(m.group(1));
        }
      }
    }
    return revoked;
  }

  private List<Path> logFiles() {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
