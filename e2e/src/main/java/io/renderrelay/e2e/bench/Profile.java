package io.renderrelay.e2e.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of this JVM (the in-process worker, and the embedded stack next to it) and its
 * summary: execution samples aggregated by top frame, by thread group and by the first render-relay
 * frame on the stack (what {@code jfr print --events jdk.ExecutionSample} shows, counted).
 */
public final class Profile implements AutoCloseable {

  private final Recording recording;
  private final Path file;

  private Profile(Recording recording, Path file) {
    this.recording = recording;
    this.file = file;
  }

  /** Starts a recording with the JDK's "profile" settings (20 ms execution samples). */
  public static Profile start(Path file) throws IOException {
    try {
      Recording r = new Recording(Configuration.getConfiguration("profile"));
      r.setName("render-relay-bench");
      r.start();
      return new Profile(r, file);
    } catch (ParseException e) {
      throw new IOException("JFR profile settings unreadable", e);
    }
  }

  /** Stops, writes the .jfr file and summarises its execution samples. */
  public Map<String, Object> stopAndSummarise(int top) throws IOException {
    recording.stop();
    recording.dump(file);
    return summarise(file, top);
  }

  /** Summarises the execution samples of a .jfr file (also one written by another JVM). */
  public static Map<String, Object> summarise(Path file, int top) throws IOException {
    Map<String, Long> frames = new HashMap<>();
    Map<String, Long> threads = new HashMap<>();
    Map<String, Long> ours = new HashMap<>();
    long samples = 0;
    long compilations = 0;
    long compileMillis = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals("jdk.Compilation")) {
        // the profile settings record compilations of 100 ms or more: JIT work on the same cores
        compilations++;
        compileMillis += e.getDuration().toMillis();
        continue;
      }
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      samples++;
      RecordedStackTrace st = e.getStackTrace();
      if (st == null || st.getFrames().isEmpty()) {
        continue;
      }
      List<RecordedFrame> fs = st.getFrames();
      frames.merge(method(fs.get(0)), 1L, Long::sum);
      String thread =
          e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
      threads.merge(threadGroup(thread), 1L, Long::sum);
      fs.stream()
          .map(Profile::method)
          .filter(m -> m.startsWith("io.renderrelay."))
          .findFirst()
          .ifPresent(m -> ours.merge(m, 1L, Long::sum));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jfrFile", file.toString());
    out.put("executionSamples", samples);
    out.put("compilationsOf100msOrMore", compilations);
    out.put("compilationMillis", compileMillis);
    out.put("topFrames", topN(frames, top, samples));
    out.put("threadGroups", topN(threads, top, samples));
    out.put("firstRenderRelayFrames", topN(ours, top, samples));
    return out;
  }

  private static String method(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  /** Thread names without their numbers: "kafka-producer-network-thread | x-12" -> a group. */
  static String threadGroup(String name) {
    return name.replaceAll("[0-9]+", "#").replaceAll("\\s*\\|.*$", "");
  }

  private static Map<String, String> topN(Map<String, Long> counts, int n, long total) {
    Map<String, String> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .forEach(
            e ->
                out.put(
                    e.getKey(),
                    e.getValue()
                        + " ("
                        + BenchResult.format(100.0 * e.getValue() / Math.max(1, total))
                        + "%)"));
    return out;
  }

  @Override
  public void close() {
    recording.close();
  }
}
