package io.renderrelay.worker.storage;

import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Streams one provider output into S3 in constant memory, one attempt per call (wrap it in {@link
 * RetryingCopier} for retries).
 *
 * <p><b>Streaming.</b> The download is read one part ({@code partSizeBytes}) at a time into a
 * single buffer that is reused for every part of the copy; the SDK reads each part straight from
 * that buffer (no copy, no whole-stream buffering). SHA-256 of the whole stream is computed on the
 * fly. Memory per concurrent copy is one part buffer. An output smaller than one part is sent as
 * one PutObject with Content-MD5; a larger one as a multipart upload, each part with Content-MD5
 * and its returned ETag compared with the part's MD5 (the end-to-end proof that S3 stored what we
 * read; switch off with {@code verifyPartEtags=false} for SSE-KMS/SSE-C buckets, whose ETags are
 * not MD5s). Any failure during a multipart upload aborts it.
 *
 * <p><b>Where the sha256 metadata goes.</b> S3 takes user metadata and the content type when a
 * multipart upload is <i>created</i>, not when it is completed, and the SHA-256 is only known at
 * the end. So a multipart copy is uploaded to a staging key ({@code <stagingPrefix><uuid>/<file>})
 * and then published to the final key with one server-side CopyObject that sets {@code
 * x-amz-meta-sha256} and the content type (metadata directive REPLACE), after which the staging
 * object is deleted. The final key therefore only ever holds a complete object with its sha256. A
 * crash between complete and delete can leave a staging object: give the staging prefix a lifecycle
 * rule (expire after a day, abort incomplete multipart uploads). CopyObject limits outputs to 5
 * GiB, which the constructor enforces.
 *
 * <p><b>Idempotence: a retried copy overwrites nothing that differs and duplicates nothing.</b>
 * Before any upload the final key is HEADed. If an object is there with sha256 metadata, the
 * download is streamed and hashed without uploading (verify-only pass): equal bytes return the
 * existing object and nothing is written; different bytes fail with Rejected and the existing
 * object is left untouched. An object there without sha256 metadata is not ours to judge and is
 * never overwritten (Rejected). Writes to the final key carry {@code If-None-Match: *}, so a writer
 * racing past the HEAD cannot overwrite either: on 412 the key is HEADed again and judged by the
 * same rule. A multipart copy also HEADs the key again just before publishing, because some
 * S3-compatible stores (S3Proxy 4.1) honour If-None-Match on PutObject but ignore it on CopyObject;
 * there the race window shrinks to the time between that HEAD and the copy. Races need two owners
 * of one job, which the worker's partitioning rules out; this is defence in depth.
 */
public final class S3StreamingCopier implements RenderCopier {
  private static final Logger log = LoggerFactory.getLogger(S3StreamingCopier.class);

  /**
   * Copier options.
   *
   * @param bucket target bucket
   * @param partSizeBytes multipart part size and the size of the per-copy buffer (>= 5 MiB)
   * @param stagingPrefix key prefix for multipart staging objects, ending in "/"
   * @param verifyPartEtags compare each returned ETag with the part's MD5
   */
  public record Options(
      String bucket, int partSizeBytes, String stagingPrefix, boolean verifyPartEtags) {
    public Options {
      Objects.requireNonNull(bucket, "bucket");
      Objects.requireNonNull(stagingPrefix, "stagingPrefix");
      if (bucket.isBlank()) {
        throw new IllegalArgumentException("storage bucket is empty");
      }
      if (!stagingPrefix.isEmpty() && !stagingPrefix.endsWith("/")) {
        throw new IllegalArgumentException("staging prefix must end with '/'");
      }
    }

    /** From settings; staging objects go under {@code <rootPrefix>/_staging/}. */
    public static Options from(StorageSettings s) {
      if (s.partSizeBytes() > PartMath.MAX_PART_BYTES) {
        throw new IllegalArgumentException("storage part size is above 512 MiB");
      }
      String root = s.rootPrefix().strip().replaceAll("^/+|/+$", "");
      String staging = root.isEmpty() ? "_staging/" : root + "/_staging/";
      return new Options(s.bucket(), (int) s.partSizeBytes(), staging, true);
    }
  }

  private final S3Client s3;
  private final SafeDownloader downloader;
  private final Options options;
  private final CopyMetrics metrics;
  private final Clock clock;

  public S3StreamingCopier(
      S3Client s3, SafeDownloader downloader, Options options, CopyMetrics metrics, Clock clock) {
    this.s3 = Objects.requireNonNull(s3, "s3");
    this.downloader = Objects.requireNonNull(downloader, "downloader");
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    PartMath.requireValid(options.partSizeBytes(), downloader.maxBytes());
  }

  @Override
  public CopiedObject copy(URI source, String key, String expectedContentType)
      throws CopyException {
    Instant start = clock.instant();
    CopyRun run = new CopyRun(s3, downloader, options, source, key, expectedContentType);
    try {
      CopiedObject copied = run.execute();
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
