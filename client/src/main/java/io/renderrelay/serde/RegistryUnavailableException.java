package io.renderrelay.serde;

/**
 * The schema registry could not be reached (connect failure, timeout or HTTP 5xx) after all
 * retries. Retryable: the caller must not dead-letter a record because of it.
 */
public final class RegistryUnavailableException extends SerdeException {

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
