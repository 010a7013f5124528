package io.renderrelay.worker.ledger;

/**
 * An internal record (ledger entry, poll ticket) whose writer schema this release does not know: a
 * newer release wrote it. Never skipped silently: a skipped ledger entry would forget a paid job.
 */
public final class UnknownWriterSchemaException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  public UnknownWriterSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
