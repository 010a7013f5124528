package io.renderrelay.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap of another JVM after a full GC, through the JDK's {@code jcmd} (GC.run, GC.heap_info). */
public final class Jcmd {

  private static final Pattern USED = Pattern.compile("^(\\S.*?)\\s+total \\d+K, used (\\d+)K.*");

  private Jcmd() {}

  /** Runs a full GC in {@code pid} and returns the heap then in use, in bytes. */
  public static long heapAfterGc(long pid) throws IOException, InterruptedException {
    run(pid, "GC.run");
    return usedBytes(run(pid, "GC.heap_info"));
  }

  /** Sums the "used" of the heap's spaces in GC.heap_info output (metaspace excluded). */
  static long usedBytes(List<String> heapInfo) {
    long used = 0;
    boolean found = false;
    for (String line : heapInfo) {
      Matcher m = USED.matcher(line);
      if (m.matches() && !m.group(1).contains("Metaspace") && !m.group(1).contains("class space")) {
        used += Long.parseLong(m.group(2)) * 1024;
        found = true;
      }
    }
    if (!found) {
      throw new IllegalStateException("no heap usage in jcmd GC.heap_info output: " + heapInfo);
    }
    return used;
  }

  private static List<String> run(long pid, String command)
      throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p =
        new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + out);
    }
    return out.lines().toList();
  }
}
