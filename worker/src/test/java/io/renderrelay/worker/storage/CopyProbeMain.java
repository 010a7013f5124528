package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one copy in its own (small-heap) JVM for {@link S3StreamingCopierMemoryIT}. Arguments:
 * endpoint bucket url key partSize maxBytes. Prints {@code COPIED <size> <sha256> <peakHeap>}.
 */
public final class CopyProbeMain {
  private CopyProbeMain() {}

  public static void main(String[] args) throws Exception {
    StorageSettings settings =
        new StorageSettings(
            Optional.of(URI.create(args[0])),
            "us-east-1",
            args[1],
            "renders",
            true,
            Optional.of(S3ProxyFixture.ACCESS),
            Optional.of(new Secret(S3ProxyFixture.SECRET)),
            Long.parseLong(args[4]),
            Long.parseLong(args[5]),
            Set.of(),
            true,
            Duration.ofSeconds(30),
            1);
    try (var s3 = new S3ClientFactory(settings, S3ClientFactory.Tuning.defaults()).create();
        var downloader = SafeDownloader.fromSettings(settings)) {
      var copier =
          new S3StreamingCopier(
              s3,
              downloader,
              S3StreamingCopier.Options.from(settings),
              CopyMetrics.noop(),
              Clock.systemUTC());
      CopiedObject copied = copier.copy(URI.create(args[2]), args[3], "video/mp4");
      long peakHeap = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peakHeap += pool.getPeakUsage().getUsed();
        }
      }
      System.out.println(
          "COPIED " + copied.sizeBytes() + " " + copied.sha256Hex() + " " + peakHeap);
    }
  }
}
