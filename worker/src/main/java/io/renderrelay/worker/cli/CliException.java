package io.renderrelay.worker.cli;

/** A failure the CLI reports as one line on stderr with exit code 1. */
class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
