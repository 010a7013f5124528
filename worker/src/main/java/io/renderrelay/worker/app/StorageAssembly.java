package io.renderrelay.worker.app;

import io.renderrelay.worker.config.WorkerConfig;
import io.renderrelay.worker.retry.Backoff;
import io.renderrelay.worker.retry.Sleeper;
import io.renderrelay.worker.storage.BoundedCopier;
import io.renderrelay.worker.storage.KeyLayout;
import io.renderrelay.worker.storage.RenderCopier;
import io.renderrelay.worker.storage.RetryingCopier;
import io.renderrelay.worker.storage.S3ClientFactory;
import io.renderrelay.worker.storage.S3Clients;
import io.renderrelay.worker.storage.S3StreamingCopier;
import io.renderrelay.worker.storage.SafeDownloader;
import io.renderrelay.worker.tracing.TracedCopier;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The storage side: the S3 client (its pool sized to the copies at once), the output copier with
 * its retries and its bound, traced, and the key layout. The retry layers of one copy: {@code
 * docs/architecture.md}, "Copying an output".
 */
record StorageAssembly(S3Client s3, RenderCopier copier, KeyLayout layout) {

  private static final Logger log = LoggerFactory.getLogger(StorageAssembly.class);

  static StorageAssembly build(Core core) {
    WorkerConfig config = core.config();
    int multipartCopies = copyPermits(config);
    int copies =
        Math.max(multipartCopies, BoundedCopier.copiesFor(Runtime.getRuntime().maxMemory()));
    S3Clients clients =
        core.own(
            new S3ClientFactory(
                    config.storage(),
                    S3ClientFactory.Tuning.defaults()
                        .withMaxConnections(
                            S3StreamingCopier.s3ConnectionsFor(copies, multipartCopies)))
                .createPair(List.of(), List.of(new S3PoolMetrics(core.metrics())))); // issue 17
    S3Client s3 = clients.s3();
    RetryingCopier copier =
        new RetryingCopier(
            new BoundedCopier(
                new S3StreamingCopier(
                    clients,
                    SafeDownloader.fromSettings(config.storage(), copies + 2),
                    S3StreamingCopier.Options.from(config.storage()),
                    core.bridge(),
                    core.local(),
                    multipartCopies),
                copies),
            Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(30), new SecureRandom()),
            config.storage().maxCopyAttempts(),
            Sleeper.system(),
            core.bridge());
    return new StorageAssembly(
        s3,
        new TracedCopier(copier, core.tracing().tracer()),
        new KeyLayout(config.storage().rootPrefix()));
  }

  /** Copies at once (their part buffers fit in half the heap); the pools are sized to it. */
  private static int copyPermits(WorkerConfig config) {
    int permits =
        BoundedCopier.permitsFor(
            Runtime.getRuntime().maxMemory(), config.storage().partSizeBytes());
    log.info("multipart copies at once: at most {}", permits);
    return permits;
  }
}
