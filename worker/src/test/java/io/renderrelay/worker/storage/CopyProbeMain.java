package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.Secret;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one copy in its own (small-heap) JVM for {@link S3StreamingCopierMemoryIT}. Arguments:
 * endpoint bucket url key partSize maxBytes [copies [url2 n2]]. Runs the copies at once (keys
 * {@code key.i}; the first {@code n2} of {@code url2}), bounded and pooled as a worker with this
 * heap, and prints {@code COPIED <size> <sha256> <peakHeap>} for each.
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
    int copies = args.length > 6 ? Integer.parseInt(args[6]) : 1;
    int second = args.length > 8 ? Integer.parseInt(args[8]) : 0;
    // sized as StorageAssembly sizes them for this heap
    int bound = BoundedCopier.copiesFor(Runtime.getRuntime().maxMemory());
    var tuning =
        S3ClientFactory.Tuning.defaults()
            .withMaxConnections(S3StreamingCopier.s3ConnectionsFor(bound, 1));
    try (var clients = new S3ClientFactory(settings, tuning).createPair();
        var downloader = SafeDownloader.fromSettings(settings, bound + 2)) {
      RenderCopier copier =
          new BoundedCopier(
              new S3StreamingCopier(
                  clients,
                  downloader,
                  S3StreamingCopier.Options.from(settings),
                  CopyMetrics.noop(),
                  Clock.systemUTC(),
                  1),
              bound);
      List<CopiedObject> copied = new ArrayList<>();
      try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<CopiedObject>> running = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
          String key = copies == 1 ? args[3] : args[3] + "." + i;
          URI source = URI.create(i < second ? args[7] : args[2]);
          running.add(threads.submit(() -> copier.copy(source, key, "video/mp4")));
        }
        for (Future<CopiedObject> f : running) {
          copied.add(f.get());
        }
      }
      long peakHeap = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peakHeap += pool.getPeakUsage().getUsed();
        }
      }
      for (CopiedObject c : copied) {
        System.out.println("COPIED " + c.sizeBytes() + " " + c.sha256Hex() + " " + peakHeap);
      }
    }
  }
}
