package io.renderrelay.worker.storage;

import java.net.URI;

/**
 * Copies one provider output into S3, streaming, in constant memory, with checksums verified end to
 * end. A retried copy of the same source to the same key overwrites nothing that differs.
 */
public interface RenderCopier {

  CopiedObject copy(URI source, String key, String expectedContentType) throws CopyException;
}
