package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one provider output into S3 in constant memory, one attempt per call (wrap it in {@link
 * RetryingCopier} for retries). docs/architecture.md ("Copying an output") describes the retry
 * layers around it.
 *
 * <p><b>One write, straight to the final key.</b> An output whose length is announced and within
 * {@code singlePutMaxBytes} (5 GiB, the PutObject limit, by default) is sent as one PutObject whose
 * body is the download itself, read as the SDK sends it, with a SHA-256 trailer that S3 checks and
 * the copy records (hashed once, by the SDK: {@link TrailerChecksum}): no part buffer. Any other
 * output is read one part at a time ({@code partSizeBytes}) and sent as a multipart upload to the
 * final key, {@value MultipartUpload#PARTS_IN_FLIGHT} parts uploading while the next is read; an
 * output that ends within its first part is one PutObject of that buffer. Any failure aborts a
 * multipart upload. No staging object, no server-side copy.
 *
 * <p><b>Checksums, each byte hashed once per algorithm.</b> Every write carries a checksum S3
 * verifies before storing, and the ledger and the event record the output's SHA-256. A streaming
 * PutObject sends a SHA-256 trailer the SDK computes as the body passes, and that value is the one
 * recorded. A small output (read whole) and a multipart upload send a CRC32C (header; per part),
 * and their SHA-256 is the copier's own or, for a small PUT over http, the payload hash SigV4
 * signed ({@link SignedPayload}).
 *
 * <p><b>Idempotence: a retried copy overwrites nothing that differs and duplicates nothing.</b>
 * Every write to the final key is conditional ({@code If-None-Match: *}): a PutObject or a
 * completion that finds the key taken gets 412 and writes nothing. Unless the caller says no
 * earlier attempt can have written the key ({@link PriorCopies#NONE}), the key is HEADed first. An
 * existing object is judged by a verification pass that streams and hashes the output without
 * writing (see {@link ExistingObject} for what identifies it): equal bytes return the existing
 * object, different bytes (or an object that cannot be judged) fail with Rejected and leave it
 * untouched. A multipart upload HEADs the key again just before completing, because some
 * S3-compatible stores ignore If-None-Match on completion. Races need two owners of one job, which
 * the worker's partitioning rules out; this is defence in depth.
 */
public final class S3StreamingCopier implements RenderCopier {
  private static final Logger log = LoggerFactory.getLogger(S3StreamingCopier.class);

  /**
   * Copier options.
   *
   * @param bucket target bucket
   * @param partSizeBytes multipart part size (>= 5 MiB); a multipart copy holds {@value
   *     MultipartUpload#BUFFERS} buffers of it
   * @param singlePutMaxBytes largest announced length sent as one streaming PutObject
   * @param verifyPartEtags whether ETags are MD5s (no SSE-KMS/SSE-C), so that an existing object
   *     without other identity can be judged by its ETag
   */
  public record Options(
      String bucket, int partSizeBytes, long singlePutMaxBytes, boolean verifyPartEtags) {
    public Options {
      Objects.requireNonNull(bucket, "bucket");
      if (bucket.isBlank()) {
        throw new IllegalArgumentException("storage bucket is empty");
      }
      if (singlePutMaxBytes < 0 || singlePutMaxBytes > PartMath.MAX_SINGLE_PUT_BYTES) {
        throw new IllegalArgumentException("single PUT limit must be between 0 and 5 GiB");
      }
    }

    /** From settings, with the PutObject limit as the single-PUT limit. */
    public static Options from(StorageSettings s) {
      if (s.partSizeBytes() > PartMath.MAX_PART_BYTES) {
        throw new IllegalArgumentException("storage part size is above 512 MiB");
      }
      return new Options(s.bucket(), (int) s.partSizeBytes(), PartMath.MAX_SINGLE_PUT_BYTES, true);
    }
  }

  private final S3Clients clients;
  private final SafeDownloader downloader;
  private final Options options;
  private final CopyMetrics metrics;
  private final Clock clock;
  private final Semaphore partBuffers;

  /** A copier whose caller bounds how many copies run at once (one at a time, a test). */
  public S3StreamingCopier(
      S3Clients clients,
      SafeDownloader downloader,
      Options options,
      CopyMetrics metrics,
      Clock clock) {
    this(clients, downloader, options, metrics, clock, Integer.MAX_VALUE);
  }

  /**
   * @param multipartCopies how many copies may hold part buffers at once (see {@link
   *     BoundedCopier#permitsFor}); streaming single PUTs hold none and do not count
   */
  public S3StreamingCopier(
      S3Clients clients,
      SafeDownloader downloader,
      Options options,
      CopyMetrics metrics,
      Clock clock,
      int multipartCopies) {
    this.partBuffers = new Semaphore(multipartCopies, true);
    this.clients = Objects.requireNonNull(clients, "clients");
    this.downloader = Objects.requireNonNull(downloader, "downloader");
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    PartMath.requireValid(options.partSizeBytes(), downloader.maxBytes());
  }

  /**
   * S3 connections that {@code copies} concurrent copies, {@code multipartCopies} of them
   * multipart, need: one per streaming PUT, one per part in flight, and two for HEADs and the
   * readiness check.
   */
  public static int s3ConnectionsFor(int copies, int multipartCopies) {
    return copies + multipartCopies * MultipartUpload.PARTS_IN_FLIGHT + 2;
  }

  @Override
  public CopiedObject copy(URI source, String key, String expectedContentType, PriorCopies prior)
      throws CopyException {
    Instant start = clock.instant();
    CopyRun run =
        new CopyRun(clients, downloader, options, source, key, expectedContentType, partBuffers);
    try {
      CopiedObject copied = run.execute(prior);
      CopyMetrics.Outcome outcome =
          run.alreadyPresent() ? CopyMetrics.Outcome.ALREADY_PRESENT : CopyMetrics.Outcome.UPLOADED;
      Duration took = Duration.between(start, clock.instant());
      metrics.copyFinished(outcome, run.bytesRead(), took);
      log.info(
          "copy to {} {}: {} bytes in {} ms",
          copied.uri(),
          outcome,
          copied.sizeBytes(),
          took.toMillis());
      return copied;
    } catch (CopyException e) {
      metrics.copyFinished(outcomeOf(e), run.bytesRead(), Duration.between(start, clock.instant()));
      throw e;
    }
  }

  static CopyMetrics.Outcome outcomeOf(CopyException e) {
    return switch (e) {
      case CopyException.Retryable r -> CopyMetrics.Outcome.RETRYABLE;
      case CopyException.Expired x -> CopyMetrics.Outcome.EXPIRED;
      case CopyException.Rejected r -> CopyMetrics.Outcome.REJECTED;
    };
  }
}
