package io.renderrelay.worker.storage;

import java.io.IOException;

/** Thrown by the download stream the moment more bytes arrive than the configured maximum. */
final class OutputTooLargeException extends IOException {
  OutputTooLargeException(long maxBytes) {
    super("output is larger than the limit of " + maxBytes + " bytes");
  }
}
