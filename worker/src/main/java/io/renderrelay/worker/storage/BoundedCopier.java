package io.renderrelay.worker.storage;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Lets at most {@code permits} copies run at once, so that a burst of jobs finishing together
 * (every job of a partition after a takeover, say) cannot run the heap or the connection pools out.
 * A streaming single PUT holds no part buffer; copies that do (multipart) are bounded again, more
 * tightly, inside {@link S3StreamingCopier}.
 */
public final class BoundedCopier implements RenderCopier {

  /** Never more than this many concurrent multipart copies, however large the heap. */
  static final int MAX_PERMITS = 64;

  /** Never more than this many concurrent copies of any kind. */
  static final int MAX_COPIES = 512;

  /**
   * Heap a streaming single PUT holds (a bound): the SDK's chunk and socket buffers and the
   * download's, 256 KiB (the body is the download itself, read on the sending thread).
   */
  static final long STREAMING_COPY_BYTES = 256 * 1024;

  private final RenderCopier delegate;
  private final Semaphore permits;

  public BoundedCopier(RenderCopier delegate, int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("at least one concurrent copy is needed, got " + permits);
    }
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.permits = new Semaphore(permits, true);
  }

  /**
   * How many copies fit: half the heap for part buffers ({@value MultipartUpload#BUFFERS} per
   * multipart copy; a streaming PUT holds none), between 1 and {@value #MAX_PERMITS}. The S3 and
   * download connection pools are sized from this figure.
   */
  public static int permitsFor(long maxHeapBytes, long partSizeBytes) {
    long fit = maxHeapBytes / 2 / (MultipartUpload.BUFFERS * Math.max(1, partSizeBytes));
    return (int) Math.max(1, Math.min(MAX_PERMITS, fit));
  }

  /**
   * How many copies of any kind may run at once: a quarter of the heap for streaming PUTs ({@value
   * #STREAMING_COPY_BYTES} bytes each), between 1 and {@value #MAX_COPIES}. Multipart copies are
   * bounded apart, by {@link #permitsFor}, inside the copier.
   */
  public static int copiesFor(long maxHeapBytes) {
    return (int) Math.max(1, Math.min(MAX_COPIES, maxHeapBytes / 4 / STREAMING_COPY_BYTES));
  }

  @Override
  public CopiedObject copy(URI source, String key, String expectedContentType, PriorCopies prior)
      throws CopyException {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable(
          "copy to " + key + " interrupted while waiting its turn", e);
    }
    try {
      return delegate.copy(source, key, expectedContentType, prior);
    } finally {
      permits.release();
    }
  }
}
