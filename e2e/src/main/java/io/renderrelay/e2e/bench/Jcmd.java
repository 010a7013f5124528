package io.renderrelay.e2e.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Heap of another JVM after a full GC, through the JDK's {@code jcmd}. */
public final class Jcmd {

  private static final Pattern TOTAL = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)\\s*$");
  private static final Pattern FILLER =
      Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+\\[?L?jdk\\.internal\\.vm\\.Filler\\S*.*$");

  private Jcmd() {}

  /**
   * The bytes of the objects alive in {@code pid}'s heap: {@code GC.class_histogram} runs a full GC
   * and counts what survived in the same pause. (GC.run then GC.heap_info, two attaches apart, also
   * counted what a running worker allocated in between: up to a whole eden, so the same stage read
   * 58 to 125 MiB.)
   */
  public static long heapAfterGc(long pid) throws IOException, InterruptedException {
    return histogramTotal(run(pid, "GC.class_histogram"));
  }

  /** {@link #heapAfterGc(long)}, the histogram kept in {@code histogramFile} (what grows). */
  public static long heapAfterGc(long pid, Path histogramFile)
      throws IOException, InterruptedException {
    List<String> histogram = run(pid, "GC.class_histogram");
    Files.write(histogramFile, histogram);
    return histogramTotal(histogram);
  }

  /**
   * The bytes on the {@code Total} line of GC.class_histogram output, less the JVM's filler objects
   * ({@code jdk.internal.vm.Filler*}: unused heap space it formats as objects, about 9 MB in the
   * worker's histograms, no object of the application).
   */
  static long histogramTotal(List<String> histogram) {
    long filler = 0;
    for (String line : histogram) {
      Matcher f = FILLER.matcher(line);
      if (f.matches()) {
        filler += Long.parseLong(f.group(1));
      }
      Matcher m = TOTAL.matcher(line);
      if (m.matches()) {
        return Long.parseLong(m.group(1)) - filler;
      }
    }
    throw new IllegalStateException("no Total line in jcmd GC.class_histogram output");
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
