package io.renderrelay.worker.storage;

/** Why a copy did not end in a verified object; sorted once. */
public abstract sealed class CopyException extends Exception {

  protected CopyException(String message, Throwable cause) {
    super(message, cause);
  }

  /** S3 or the download failed transiently: try again later. */
  public static final class Retryable extends CopyException {
    public Retryable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The provider's delivery window closed (403/404 on download): terminal for the job. */
  public static final class Expired extends CopyException {
    public Expired(String message) {
      super(message, null);
    }
  }

  /**
   * The output URL was refused (not https, host not allowed, private address, too large, bad
   * redirect): terminal for the job.
   */
  public static final class Rejected extends CopyException {
    public Rejected(String message) {
      super(message, null);
    }
  }
}
