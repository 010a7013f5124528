package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Constant memory: an output four times the heap (256 MiB; {@code -Drr.memory-it.mib=1024} for a
 * gibibyte) is copied by a separate JVM limited to a 64 MiB heap (8 MiB parts): a copier that held
 * the object would die of an OutOfMemoryError. S3Proxy (on disk) and the output server run in this
 * JVM, so the small heap holds only the copier, the SDK and the download client. The 1 GiB copy at
 * the same heap is {@code scripts/bench copy}'s (docs/benchmarks.md).
 */
@Timeout(180)
class S3StreamingCopierMemoryIT {
  private static final long MIB = 1024 * 1024;
  private static final long SIZE = Long.getLong("rr.memory-it.mib", 256) * MIB;
  private static final long PART = 8 * MIB;

  @TempDir Path dir;

  @Test
  void copiesFourTimesTheHeapWithA64MibHeap() throws Exception {
    copyWithA64MibHeap("/big.mp4", false); // announced length: one streaming PUT
  }

  @Test
  void copiesFourTimesTheHeapOfUnknownLengthInPartsWithA64MibHeap() throws Exception {
    // No Content-Length: multipart, parts uploading while the next is read.
    copyWithA64MibHeap("/chunked.mp4", true);
  }

  /**
   * As many streaming PUTs at once as a 64 MiB worker lets run ({@link BoundedCopier#copiesFor}),
   * and more waiting: each holds the SDK's chunk buffers and its download's while it sends.
   */
  @Test
  void manyStreamingCopiesAtOnceFitA64MibHeap() throws Exception {
    int copies = BoundedCopier.copiesFor(64 * MIB) + 8;
    long size = 4 * MIB;
    inStore(
        (s3proxy, server) -> {
          server.pattern("/many.mp4", 43, size);
          List<String> out = runProbe(s3proxy, server, "/many.mp4", copies);
          List<String> copied = out.stream().filter(l -> l.startsWith("COPIED ")).toList();
          assertThat(copied).as("probe output: %s", out).hasSize(copies);
          String expected = PatternBytes.sha256(43, size);
          assertThat(copied).allSatisfy(l -> assertThat(l.split(" ")[2]).isEqualTo(expected));
          System.out.printf(
              "MEMORY-IT %d streaming copies of %d MiB at once (bound %d), child peak heap %d"
                  + " MiB%n",
              copies,
              size / MIB,
              BoundedCopier.copiesFor(64 * MIB),
              Long.parseLong(copied.get(0).split(" ")[3]) / MIB);
        });
  }

  /**
   * Review of issue 15: the worst mix the bounds allow at 64 MiB now that a streaming copy counts
   * 256 KiB (twice as many run): every copy permit taken, two of them multipart copies of unknown
   * length (one holds the part buffers, the other waits for them holding its download), the rest
   * streaming PUTs.
   */
  @Test
  void streamingCopiesAtTheBoundBesideMultipartCopiesFitA64MibHeap() throws Exception {
    int copies = BoundedCopier.copiesFor(64 * MIB);
    int multipart = 2;
    long size = 4 * MIB;
    long chunkedSize = 3 * PART;
    inStore(
        (s3proxy, server) -> {
          server.pattern("/mix.mp4", 44, size);
          server.chunked("/mix-chunked.mp4", 45, chunkedSize);
          List<String> out =
              runProbe(
                  s3proxy,
                  server,
                  "/mix.mp4",
                  copies,
                  List.of(server.url("/mix-chunked.mp4").toString(), Integer.toString(multipart)));
          List<String> copied = out.stream().filter(l -> l.startsWith("COPIED ")).toList();
          assertThat(copied).as("probe output: %s", out).hasSize(copies);
          String streamed = PatternBytes.sha256(44, size);
          String parts = PatternBytes.sha256(45, chunkedSize);
          assertThat(copied.stream().filter(l -> l.split(" ")[2].equals(parts))).hasSize(multipart);
          assertThat(copied.stream().filter(l -> l.split(" ")[2].equals(streamed)))
              .hasSize(copies - multipart);
          System.out.printf(
              "MEMORY-IT %d streaming + %d multipart copies at once, child peak heap %d MiB%n",
              copies - multipart, multipart, Long.parseLong(copied.get(0).split(" ")[3]) / MIB);
        });
  }

  /** What runs against a fresh on-disk S3Proxy (bucket {@code mem}) and output server. */
  private interface StoreRun {
    void run(S3ProxyFixture s3proxy, OutputServer server) throws Exception;
  }

  private void inStore(StoreRun run) throws Exception {
    Path store = Files.createDirectories(dir.resolve("s3"));
    try (var s3proxy = S3ProxyFixture.onDisk(store);
        var server = new OutputServer()) {
      var settings = s3proxy.settings("mem", PART, 2 * SIZE, true, Duration.ofSeconds(30));
      try (var s3 = s3proxy.client(settings, List.of())) {
        s3.createBucket(b -> b.bucket("mem"));
      }
      run.run(s3proxy, server);
    }
  }

  private void copyWithA64MibHeap(String path, boolean chunked) throws Exception {
    Path store = Files.createDirectories(dir.resolve("s3"));
    try (var s3proxy = S3ProxyFixture.onDisk(store);
        var server = new OutputServer()) {
      var settings = s3proxy.settings("mem", PART, 2 * SIZE, true, Duration.ofSeconds(30));
      try (var s3 = s3proxy.client(settings, List.of())) {
        s3.createBucket(b -> b.bucket("mem"));
        if (chunked) {
          server.chunked(path, 42, SIZE);
        } else {
          server.pattern(path, 42, SIZE);
        }
        long start = System.nanoTime();
        List<String> out = runProbe(s3proxy, server, path);
        long millis = (System.nanoTime() - start) / 1_000_000;

        String copiedLine =
            out.stream().filter(l -> l.startsWith("COPIED ")).findFirst().orElse("");
        assertThat(copiedLine).as("probe output: %s", out).isNotEmpty();
        String[] f = copiedLine.split(" ");
        String expected = PatternBytes.sha256(42, SIZE);
        assertThat(Long.parseLong(f[1])).isEqualTo(SIZE);
        assertThat(f[2]).isEqualTo(expected);
        long peakHeap = Long.parseLong(f[3]); // garbage included; the proof is no OOM exit
        System.out.printf(
            "MEMORY-IT copied %d MiB (%s) in %d ms, child peak heap %d MiB%n",
            SIZE / MIB, chunked ? "multipart, no length" : "streaming PUT", millis, peakHeap / MIB);

        String key = "renders/restyle/mem/video.mp4";
        var head = s3.headObject(b -> b.bucket("mem").key(key));
        assertThat(head.contentLength()).isEqualTo(SIZE);
        try (InputStream in = s3.getObject(b -> b.bucket("mem").key(key))) {
          assertThat(PatternBytes.sha256(in)).isEqualTo(expected);
        }
        assertThat(s3.listMultipartUploads(b -> b.bucket("mem")).uploads()).isEmpty();
      }
    }
  }

  private List<String> runProbe(S3ProxyFixture s3proxy, OutputServer server, String path)
      throws IOException, InterruptedException {
    return runProbe(s3proxy, server, path, 1);
  }

  private List<String> runProbe(
      S3ProxyFixture s3proxy, OutputServer server, String path, int copies)
      throws IOException, InterruptedException {
    return runProbe(s3proxy, server, path, copies, List.of());
  }

  private List<String> runProbe(
      S3ProxyFixture s3proxy, OutputServer server, String path, int copies, List<String> more)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            java,
            "-Xmx64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            System.getProperty("java.class.path"),
            CopyProbeMain.class.getName(),
            s3proxy.endpoint().toString(),
            "mem",
            server.url(path).toString(),
            "renders/restyle/mem/video.mp4",
            Long.toString(PART),
            Long.toString(2 * SIZE),
            Integer.toString(copies)));
    cmd.addAll(more);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    List<String> lines = new ArrayList<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                    r.lines().forEach(lines::add);
                  } catch (IOException e) {
                    lines.add("reader failed: " + e);
                  }
                });
    boolean done = p.waitFor(150, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    reader.join(Duration.ofSeconds(5));
    assertThat(done).as("probe finished in time; output %s", lines).isTrue();
    assertThat(p.exitValue()).as("probe exit code; output %s", lines).isZero();
    return lines;
  }
}
