package io.renderrelay.worker.storage;

import java.net.URI;

/**
 * Copies one provider output into S3, streaming, in constant memory, with checksums verified end to
 * end. A retried copy of the same source to the same key overwrites nothing that differs.
 */
public interface RenderCopier {

  /**
   * Copies {@code source} to {@code key}.
   *
   * @param prior what the caller knows about earlier attempts; {@link PriorCopies#NONE} skips the
   *     HEAD before the (conditional) write
   */
  CopiedObject copy(URI source, String key, String expectedContentType, PriorCopies prior)
      throws CopyException;

  /** A copy that an earlier attempt may have written already (HEAD first). */
  default CopiedObject copy(URI source, String key, String expectedContentType)
      throws CopyException {
    return copy(source, key, expectedContentType, PriorCopies.POSSIBLE);
  }
}
