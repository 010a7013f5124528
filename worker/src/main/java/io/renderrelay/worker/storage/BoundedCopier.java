package io.renderrelay.worker.storage;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Lets at most {@code permits} copies run at once. Each running copy holds one part buffer ({@code
 * storage.part-size}), so without a bound a burst of jobs finishing together (every job of a
 * partition after a takeover, say) would need a buffer each and run the heap out.
 */
public final class BoundedCopier implements RenderCopier {

  /** Never more than this many concurrent copies, however large the heap. */
  static final int MAX_PERMITS = 64;

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
