package io.renderrelay.worker.provider;

/**
 * An answer body the parser cannot use (not JSON, wrong shape, missing fields). The client turns it
 * into {@link ProviderException.Retryable} for polls and {@link ProviderException.Ambiguous} for
 * submits. The message quotes no body text.
 */
final class ProviderAnswerException extends Exception {

  public ProviderAnswerException(String message) {
    super(message);
  }
}
