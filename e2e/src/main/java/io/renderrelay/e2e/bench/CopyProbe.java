package io.renderrelay.e2e.bench;

import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.storage.CopyMetrics;
import io.renderrelay.worker.storage.PriorCopies;
import io.renderrelay.worker.storage.S3ClientFactory;
import io.renderrelay.worker.storage.S3Clients;
import io.renderrelay.worker.storage.S3StreamingCopier;
import io.renderrelay.worker.storage.SafeDownloader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;

/**
 * One copy in its own small-heap JVM (the copy benchmark), configured like a worker through
 * RENDER_RELAY_* variables. Arguments: {@code stream <url> <key> <warm-up url>} copies with the
 * worker's streaming copier; {@code file <path> <key> <warm-up path>} uploads a local file with the
 * same S3 client and the same request (the reference); {@code file-crc32c <path> <key> <warm-up
 * path>} the same with a CRC32C trailer. Each first transfers its warm-up source, untimed. Prints
 * {@code DONE <bytes> <millis> <peakHeapBytes> <heapAfterGcBytes>}.
 */
public final class CopyProbe {
  private CopyProbe() {}

  public static void main(String[] args) throws Exception {
    StorageSettings storage = ConfigLoader.load(ConfigSources.system(Optional.empty())).storage();
    String key = args[2];
    // Clients are built before the clock starts, for both modes: a worker builds its S3 client
    // and its output downloader once at startup, not per copy.
    try (S3Clients clients =
            new S3ClientFactory(storage, S3ClientFactory.Tuning.defaults()).createPair();
        SafeDownloader downloader = SafeDownloader.fromSettings(storage)) {
      S3Client s3 = clients.s3();
      S3StreamingCopier copier =
          new S3StreamingCopier(
              clients,
              downloader,
              S3StreamingCopier.Options.from(storage),
              CopyMetrics.noop(),
              Clock.systemUTC());
      // A warm-up transfer of the same kind first (its object deleted): a worker copies in a
      // JVM that has compiled its copy path long before; in a fresh child the JIT compilers
      // otherwise take a core from the first gigabyte's copy.
      transfer(args[0], args[3], key + ".warm-up", copier, s3, storage.bucket());
      s3.deleteObject(b -> b.bucket(storage.bucket()).key(key + ".warm-up"));
      long t0 = System.nanoTime();
      long bytes = transfer(args[0], args[1], key, copier, s3, storage.bucket());
      long millis = (System.nanoTime() - t0) / 1_000_000;
      long peak = 0;
      long afterGc = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
          afterGc += pool.getCollectionUsage() == null ? 0 : pool.getCollectionUsage().getUsed();
        }
      }
      System.out.println("DONE " + bytes + " " + millis + " " + peak + " " + afterGc);
    }
  }

  /** One copy ({@code stream}) or reference upload of {@code source} to {@code key}; its bytes. */
  private static long transfer(
      String mode, String source, String key, S3StreamingCopier copier, S3Client s3, String bucket)
      throws Exception {
    if (mode.equals("stream")) {
      // a first copy, as the worker makes it when no earlier poll saw the render done
      return copier.copy(URI.create(source), key, "video/mp4", PriorCopies.NONE).sizeBytes();
    }
    Path file = Path.of(source);
    // "file": the request the copier sends (SHA-256 trailer, conditional create), the bytes from
    // a local file: S3Proxy handles a signed aws-chunked body with a trailer differently from one
    // without, so a reference without the checksum measured the store's path rather than the
    // copier. "file-crc32c": the same with the CRC32C trailer that copies sent before they
    // recorded the trailer's SHA-256 (a reported comparison, no target).
    ChecksumAlgorithm algorithm =
        mode.equals("file-crc32c") ? ChecksumAlgorithm.CRC32_C : ChecksumAlgorithm.SHA256;
    s3.putObject(
        b ->
            b.bucket(bucket)
                .key(key)
                .contentType("video/mp4")
                .checksumAlgorithm(algorithm)
                .ifNoneMatch("*"),
        RequestBody.fromFile(file));
    return Files.size(file);
  }
}
