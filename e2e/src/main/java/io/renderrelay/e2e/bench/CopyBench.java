package io.renderrelay.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.devstack.DevStackConfig;
import io.renderrelay.devstack.simulator.OutputContent;
import io.renderrelay.devstack.simulator.OutputKind;
import io.renderrelay.devstack.simulator.OutputSizes;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.devstack.simulator.SimulatorControl;
import io.renderrelay.e2e.WorkerSettings;
import io.renderrelay.worker.storage.S3ClientFactory;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One large render streamed provider-to-S3 by the worker's copier in a JVM with a 64 MiB heap,
 * against the same S3 client uploading the same bytes from a local file.
 */
public final class CopyBench implements Benchmark {

  static final String HEAP = "64m";

  /**
   * What each child transfers, untimed, before its measured copy or upload: enough for the JIT to
   * compile the per-byte loops (a worker's copy path is compiled long before its thousandth copy).
   */
  static final long WARM_UP_BYTES = 64L * 1024 * 1024;

  private static final long MIB = 1024 * 1024;
  private static final Pattern GC_LINE =
      Pattern.compile(".*GC\\(\\d+\\).* (\\d+)M->(\\d+)M\\((\\d+)M\\).*");

  /** One child run. */
  record Run(
      String mode,
      long bytes,
      long millis,
      long peakHeap,
      long maxAfterGc,
      boolean oom,
      Map<String, Object> profile) {
    double mbPerSecond() {
      return bytes / 1e6 / (millis / 1e3);
    }
  }

  @Override
  public String name() {
    return "copy";
  }

  @Override
  public List<BenchResult> run(BenchContext ctx) throws Exception {
    long size = ctx.pick(256 * MIB, 1024 * MIB);
    // Interleaved rounds (the order alternating), medians compared: the machine is shared, and a
    // load spike slows whichever run it meets, so reference and copy meet it alike.
    int rounds = 9; // a multiple of the three legs: each leg runs first, second and third alike
    SimulatorConfig sim =
        SimulatorConfig.defaults()
            .withRenderTimeOverride(Duration.ZERO)
            .withTaskNotExistWindow(Duration.ZERO)
            .withCallbacksEnabled(false)
            .withOutputSizes(new OutputSizes(size, WARM_UP_BYTES, 16 * 1024));
    try (DevStack stack = ctx.stack(DevStackConfig.defaults().withSimulator(sim))) {
      WorkerSettings settings = new WorkerSettings(stack, "bench-copy");
      Map<String, String> env = settings.asEnvironment();
      SimulatorControl control = stack.simulator().control();
      String taskId = submitTask(stack);
      Map<OutputKind, String> urls = awaitUrls(control, taskId);
      String url = urls.get(OutputKind.VIDEO);
      Path file = ctx.file("data/copy-source.mp4");
      try (OutputStream out = Files.newOutputStream(file)) {
        OutputContent.write(taskId, OutputKind.VIDEO, size, out);
      }
      // each child's untimed warm-up transfer: the poster, served and written at WARM_UP_BYTES
      String warmUpUrl = urls.get(OutputKind.POSTER);
      Path warmUpFile = ctx.file("data/copy-warm-up.png");
      try (OutputStream out = Files.newOutputStream(warmUpFile)) {
        OutputContent.write(taskId, OutputKind.POSTER, WARM_UP_BYTES, out);
      }
      List<Run> copies = new ArrayList<>();
      List<Run> refs = new ArrayList<>();
      List<Run> crcRefs = new ArrayList<>();
      try (S3Client s3 =
          new S3ClientFactory(settings.config().storage(), S3ClientFactory.Tuning.defaults())
              .create()) {
        // round 0 warms the bench JVM's side (S3Proxy, the simulator's CDN) and is not counted
        for (int i = 0; i <= rounds; i++) {
          for (int leg = 0; leg < 3; leg++) {
            switch ((leg + i) % 3) {
              case 0 -> {
                ctx.note("copy: round %d, reference upload of %d MiB from a file", i, size / MIB);
                refs.add(upload(ctx, env, s3, stack.bucket(), "file", file, warmUpFile, i));
              }
              case 1 -> {
                ctx.note(
                    "copy: round %d, streaming copy of %d MiB with -Xmx%s", i, size / MIB, HEAP);
                String copyKey = "renders/bench/copy-" + i + "/video.mp4";
                copies.add(probe(ctx, env, "stream", url, warmUpUrl, copyKey, "stream-" + i));
                deleteObject(s3, stack.bucket(), copyKey);
              }
              default -> {
                ctx.note("copy: round %d, CRC32C upload of %d MiB from a file", i, size / MIB);
                crcRefs.add(
                    upload(ctx, env, s3, stack.bucket(), "file-crc32c", file, warmUpFile, i));
              }
            }
          }
        }
      } finally {
        Files.deleteIfExists(file);
        Files.deleteIfExists(warmUpFile);
      }
      List<Run> warmUpRound = List.of(refs.remove(0), copies.remove(0), crcRefs.remove(0));
      Run copy = median(copies);
      Run ref = median(refs);
      boolean oom = copies.stream().anyMatch(Run::oom) || warmUpRound.stream().anyMatch(Run::oom);
      double ratio = medianRatio(copies, refs);
      Run crcRef = median(crcRefs);
      double crcRatio = medianRatio(copies, crcRefs);
      Plots.bars(
          ctx.file("copy.png"),
          "Copy of "
              + size / MIB
              + " MiB to S3: worker streaming (-Xmx"
              + HEAP
              + ") vs file upload",
          "MB/s",
          List.of(
              new Plots.Bar("worker streaming copy", Plots.BLUE, copy.mbPerSecond()),
              new Plots.Bar("reference: putObject from file", Plots.GREY, ref.mbPerSecond())));
      Map<String, Object> crcDetails = new LinkedHashMap<>();
      crcDetails.put("references", crcRefs);
      crcDetails.put("medianCopyMBps", copy.mbPerSecond());
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("bytes", size);
      params.put("childHeap", "-Xmx" + HEAP + " -XX:+UseSerialGC");
      params.put("partSize", "8MiB (storage.part-size default)");
      params.put("rounds", rounds + " counted, after one uncounted round");
      params.put(
          "warmUpBytes", WARM_UP_BYTES + " per child, untimed, before its measured transfer");
      params.put("source", "provider simulator CDN (generated MP4), S3 = embedded s3proxy on disk");
      params.put(
          "ratioDefinition",
          "median over rounds of (streaming copy MB/s / file upload MB/s of the same round);"
              + " the file upload sends the copier's request (SHA-256 trailer, If-None-Match);"
              + " rounds interleaved, order rotating, so load drift meets each run of a round"
              + " alike");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("copies", copies);
      details.put("medianCopyMBps", copy.mbPerSecond());
      details.put("medianReferenceMBps", ref.mbPerSecond());
      details.put("references", refs);
      details.put("warmUpRound", warmUpRound);
      details.put("outOfMemoryError", oom);
      details.put("peakHeapUsedBytes", copy.peakHeap());
      details.put(
          "maxHeapAfterGcBytes", copies.stream().mapToLong(Run::maxAfterGc).max().orElse(-1));
      return List.of(
          new BenchResult(
              name(),
              copy.mbPerSecond(),
              "MB/s",
              new BenchResult.Reference(
                  "S3 putObject of the same bytes from a local file", ref.mbPerSecond(), "MB/s"),
              ratio,
              "ratio >= 0.9, no OutOfMemoryError",
              ratio >= 0.9 && !oom,
              params,
              details),
          new BenchResult(
              "copy-vs-crc32c-upload",
              copy.mbPerSecond(),
              "MB/s",
              new BenchResult.Reference(
                  "S3 putObject of the same bytes from a local file with a CRC32C trailer",
                  crcRef.mbPerSecond(),
                  "MB/s"),
              crcRatio,
              "report only",
              null,
              params,
              crcDetails));
    }
  }

  /** One reference upload of {@code file} in {@code mode}; the object deleted afterwards. */
  private static Run upload(
      BenchContext ctx,
      Map<String, String> env,
      S3Client s3,
      String bucket,
      String mode,
      Path file,
      Path warmUp,
      int round)
      throws Exception {
    String key = "bench/" + mode + "-" + round + ".mp4";
    Run run = probe(ctx, env, mode, file.toString(), warmUp.toString(), key, mode + "-" + round);
    deleteObject(s3, bucket, key);
    return run;
  }

  /** The median of the per-round ratios copy / reference (round i: copies[i] and refs[i]). */
  static double medianRatio(List<Run> copies, List<Run> refs) {
    double[] ratios = new double[copies.size()];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = copies.get(i).mbPerSecond() / refs.get(i).mbPerSecond();
    }
    java.util.Arrays.sort(ratios);
    return ratios[ratios.length / 2];
  }

  /** The run of median throughput (the upper median of an even count). */
  static Run median(List<Run> runs) {
    List<Run> sorted =
        runs.stream().sorted((a, b) -> Double.compare(a.mbPerSecond(), b.mbPerSecond())).toList();
    return sorted.get(sorted.size() / 2);
  }

  private static Run probe(
      BenchContext ctx,
      Map<String, String> env,
      String mode,
      String source,
      String warmUp,
      String key,
      String tag)
      throws Exception {
    Path gcLog = ctx.file("logs/copy-" + tag + "-gc.log");
    Path jfr = ctx.file("copy-" + tag + ".jfr");
    List<String> cmd =
        ChildJvm.command(
            List.of(
                "-Xmx" + HEAP,
                "-XX:+UseSerialGC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc:file=" + gcLog,
                "-XX:StartFlightRecording=settings=profile,filename=" + jfr),
            CopyProbe.class.getName(),
            List.of(mode, source, key, warmUp));
    ChildJvm.Outcome out =
        ChildJvm.run(cmd, env, ctx.file("logs/copy-" + tag + ".log"), Duration.ofMinutes(10));
    boolean oom = out.lines().stream().anyMatch(l -> l.contains("OutOfMemoryError"));
    if (out.exitCode() != 0) {
      throw new IllegalStateException(
          "copy probe ("
              + mode
              + ") exited with "
              + out.exitCode()
              + (oom ? " (OutOfMemoryError)" : "")
              + ":\n"
              + out.tail());
    }
    String[] f = out.line("DONE ").split(" ");
    long maxAfterGc = -1;
    for (String l : Files.readAllLines(gcLog)) {
      Matcher m = GC_LINE.matcher(l);
      if (m.matches()) {
        maxAfterGc = Math.max(maxAfterGc, Long.parseLong(m.group(2)) * MIB);
      }
    }
    Run run =
        new Run(
            mode,
            Long.parseLong(f[1]),
            Long.parseLong(f[2]),
            Long.parseLong(f[3]),
            maxAfterGc,
            oom,
            Profile.summarise(jfr, 8));
    ctx.note("copy: %s %.1f MB/s, peak heap %d MiB", mode, run.mbPerSecond(), run.peakHeap() / MIB);
    return run;
  }

  /** Creates one act-one task at the simulator, as the worker would. */
  private static String submitTask(DevStack stack) throws Exception {
    String body =
        "{\"video\":\"https://media.example.com/perf.mp4\",\"image\":\"https://media.example.com/char.png\","
            + "\"callback_url\":\"http://127.0.0.1:9/callbacks/bench-copy/none\"}";
    HttpRequest req =
        HttpRequest.newBuilder(
                URI.create(stack.providerUrl().orElseThrow() + "/runway/pro/act_one"))
            .header("Authorization", "Bearer " + stack.simulator().config().apiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException(
            "simulator submit answered " + resp.statusCode() + ": " + resp.body());
      }
      return new ObjectMapper().readTree(resp.body()).path("data").path("task_id").asText();
    }
  }

  private static Map<OutputKind, String> awaitUrls(SimulatorControl control, String taskId)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      var report = control.task(taskId).orElseThrow();
      if (report.phase().equals("SUCCEEDED")) {
        Map<OutputKind, String> urls = new java.util.EnumMap<>(OutputKind.class);
        report.outputs().forEach((kind, output) -> urls.put(kind, output.url()));
        return urls;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("simulator task " + taskId + " did not succeed within 10 s");
  }

  /** Frees the disk space of a copied object (the runs use distinct keys anyway). */
  private static void deleteObject(S3Client s3, String bucket, String key) {
    s3.deleteObject(b -> b.bucket(bucket).key(key));
  }
}
