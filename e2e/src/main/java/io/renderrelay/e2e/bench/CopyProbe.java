package io.renderrelay.e2e.bench;

import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import io.renderrelay.worker.storage.CopiedObject;
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
 * RENDER_RELAY_* variables. Arguments: {@code stream <url> <key>} copies with the worker's
 * streaming copier; {@code file <path> <key>} uploads a local file with the same S3 client (the
 * reference). Prints {@code DONE <bytes> <millis> <peakHeapBytes> <heapAfterGcBytes>}.
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
      long t0 = System.nanoTime();
      long bytes;
      if (args[0].equals("stream")) {
        // a first copy, as the worker makes it when no earlier poll saw the render done
        CopiedObject copied = copier.copy(URI.create(args[1]), key, "video/mp4", PriorCopies.NONE);
        bytes = copied.sizeBytes();
      } else {
        Path file = Path.of(args[1]);
        // The request the copier sends (CRC32C trailer, conditional create): S3Proxy handles a
        // signed aws-chunked body with a trailer differently from one without, so a reference
        // without the checksum measured the store's path rather than the copier.
        s3.putObject(
            b ->
                b.bucket(storage.bucket())
                    .key(key)
                    .contentType("video/mp4")
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                    .ifNoneMatch("*"),
            RequestBody.fromFile(file));
        bytes = Files.size(file);
      }
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
}
