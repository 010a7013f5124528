package io.renderrelay.worker.cli;

/** A wrong combination of options found after parsing; reported like a usage error (exit 2). */
class CliUsageException extends CliException {
  public CliUsageException(String message) {
    super(message);
  }
}
