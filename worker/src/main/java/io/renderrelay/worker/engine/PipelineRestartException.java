package io.renderrelay.worker.engine;

/**
 * The loop's Kafka state can no longer be trusted (a failed or fenced transaction): the runtime
 * closes the loop and starts a fresh one, which restores the ledger and resumes from the last
 * committed offsets.
 */
final class PipelineRestartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineRestartException(String message, Throwable cause) {
    super(message, cause);
  }
}
