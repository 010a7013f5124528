package io.renderrelay.worker.storage;

import io.renderrelay.worker.retry.Backoff;
import io.renderrelay.worker.retry.Sleeper;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries {@link CopyException.Retryable} failures of a delegate copier with the shared {@link
 * Backoff}, up to {@code maxAttempts} attempts in all. Expired and Rejected are final and pass
 * through at once. Safe because the delegate's copy is idempotent (see {@link S3StreamingCopier}).
 */
public final class RetryingCopier implements RenderCopier {
  private static final Logger log = LoggerFactory.getLogger(RetryingCopier.class);

  private final RenderCopier delegate;
  private final Backoff backoff;
  private final int maxAttempts;
  private final Sleeper sleeper;
  private final CopyMetrics metrics;

  public RetryingCopier(
      RenderCopier delegate,
      Backoff backoff,
      int maxAttempts,
      Sleeper sleeper,
      CopyMetrics metrics) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxCopyAttempts must be at least 1");
    }
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.maxAttempts = maxAttempts;
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public CopiedObject copy(URI source, String key, String expectedContentType, PriorCopies prior)
      throws CopyException {
    CopyException.Retryable last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        // Only the first attempt can trust the caller: a failed attempt may have written the key.
        return delegate.copy(
            source, key, expectedContentType, attempt == 1 ? prior : PriorCopies.POSSIBLE);
      } catch (CopyException.Retryable e) {
        last = e;
        if (attempt == maxAttempts) {
          break;
        }
        Duration delay = backoff.delay(attempt);
        log.warn(
            "copy to {} failed (attempt {}/{}), retrying in {} ms: {}",
            key,
            attempt,
            maxAttempts,
            delay.toMillis(),
            e.getMessage());
        metrics.retryScheduled(attempt, delay);
        pause(delay, key, e);
      }
    }
    throw new CopyException.Retryable(
        "copy to " + key + " failed after " + maxAttempts + " attempts: " + last.getMessage(),
        last);
  }

  private void pause(Duration delay, String key, CopyException.Retryable cause)
      throws CopyException.Retryable {
    try {
      sleeper.sleep(delay);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      var e = new CopyException.Retryable("copy to " + key + " interrupted while backing off", ie);
      e.addSuppressed(cause);
      throw e;
    }
  }
}
