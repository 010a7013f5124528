package io.renderrelay.e2e.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A short-lived JVM on this JVM's classpath (the reference producer, the copy probe, startup
 * probes): output merged into a log file and kept in memory, with a timeout.
 */
public final class ChildJvm {

  /** What the child printed and how it ended. */
  public record Outcome(int exitCode, List<String> lines, Duration took) {
    /** The first line starting with {@code prefix}. */
    public String line(String prefix) {
      return lines.stream()
          .filter(l -> l.startsWith(prefix))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException("no '" + prefix + "' line in child output: " + tail()));
    }

    /** The last lines, for error messages. */
    public String tail() {
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
  }

  private ChildJvm() {}

  /** A line, or null at the end; once we stopped the child, a closed stream is the end too. */
  private static String readLine(BufferedReader in, boolean stopped) throws IOException {
    try {
      return in.readLine();
    } catch (IOException e) {
      if (stopped) {
        return null;
      }
      throw e;
    }
  }

  /** The java launcher of this JVM. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The command line: java, JVM options, this classpath, main class, arguments. */
  public static List<String> command(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(java());
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Runs to completion (killed after {@code timeout}). */
  public static Outcome run(
      List<String> command, Map<String, String> env, Path log, Duration timeout)
      throws InterruptedException {
    return runUntil(command, env, log, timeout, l -> false, false);
  }

  /**
   * Runs until a line matches {@code until} (then the child is stopped with SIGTERM when {@code
   * stopAtMatch}) or it exits; the outcome's time is when the line appeared.
   */
  public static Outcome runUntil(
      List<String> command,
      Map<String, String> env,
      Path log,
      Duration timeout,
      Predicate<String> until,
      boolean stopAtMatch)
      throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("RENDER_RELAY_"));
    pb.environment().putAll(env);
    List<String> lines = new ArrayList<>();
    long t0 = System.nanoTime();
    long matchedAt = -1;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      Process p = pb.start();
      try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
        Thread killer =
            Thread.ofPlatform()
                .daemon()
                .start(
                    () -> {
                      try {
                        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                          p.destroyForcibly();
                        }
                      } catch (InterruptedException e) {
                        p.destroyForcibly();
                      }
                    });
        String line;
        while ((line = readLine(in, matchedAt >= 0 && stopAtMatch)) != null) {
          lines.add(line);
          out.write(line);
          out.newLine();
          if (matchedAt < 0 && until.test(line)) {
            matchedAt = System.nanoTime();
            if (stopAtMatch) {
              p.destroy();
            }
          }
        }
        p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        killer.interrupt();
      }
      long end = matchedAt >= 0 ? matchedAt : System.nanoTime();
      int code = p.isAlive() ? -1 : p.exitValue();
      return new Outcome(code, lines, Duration.ofNanos(end - t0));
    } catch (IOException e) {
      throw new UncheckedIOException("child JVM failed: " + e, e);
    }
  }
}
