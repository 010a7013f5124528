package io.renderrelay.worker.provider;

import java.time.Duration;
import java.util.Optional;

/**
 * Every provider error, classified at the boundary into exactly one of these. Messages never
 * contain the API key.
 */
public abstract sealed class ProviderException extends Exception {

  protected ProviderException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Transient (429, 5xx, timeout, reset) and safe to try again; {@code retryAfter} if given. */
  public static final class Retryable extends ProviderException {
    private final Optional<Duration> retryAfter;
    private final boolean rateLimited;

    public Retryable(String message, Optional<Duration> retryAfter, Throwable cause) {
      this(message, retryAfter, false, cause);
    }

    /**
     * @param rateLimited the provider said 429: the process-wide limiter backs off
     */
    public Retryable(
        String message, Optional<Duration> retryAfter, boolean rateLimited, Throwable cause) {
      super(message, cause);
      this.retryAfter = retryAfter;
      this.rateLimited = rateLimited;
    }

    public Optional<Duration> retryAfter() {
      return retryAfter;
    }

    /** The provider rate-limited this call (HTTP 429). */
    public boolean rateLimited() {
      return rateLimited;
    }
  }

  /** A submit whose answer was lost after the request may have reached the provider. */
  public static final class Ambiguous extends ProviderException {
    public Ambiguous(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** HTTP 400 task_not_exist: the task is not (yet) visible. */
  public static final class TaskNotFound extends ProviderException {
    public TaskNotFound(String message) {
      super(message, null);
    }
  }

  /** The provider refused this job for good (bad request, invalid input): fail the job. */
  public static final class Rejected extends ProviderException {
    public Rejected(String message) {
      super(message, null);
    }
  }

  /** Fatal for the process: stop submitting (wrong key, no credit); polls go on. */
  public static final class Fatal extends ProviderException {
    private final FatalReason reason;

    public Fatal(FatalReason reason, String message) {
      super(message, null);
      this.reason = reason;
    }

    public FatalReason reason() {
      return reason;
    }
  }

  /** Why submissions stop process-wide. */
  public enum FatalReason {
    UNAUTHORIZED,
    NO_CREDIT
  }
}
