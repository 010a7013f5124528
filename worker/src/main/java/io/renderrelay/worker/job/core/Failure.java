package io.renderrelay.worker.job.core;

import io.renderrelay.avro.FailureReason;
import java.util.Optional;

/**
 * Why a job ends FAILED, as its RenderFailed event says it.
 *
 * @param providerStatus the provider's last raw status, when one is known
 * @param retryable whether the caller may send the same command again and expect another outcome
 */
public record Failure(
    FailureReason reason, String message, Optional<String> providerStatus, boolean retryable) {

  /** A failure the caller may retry (deadline, budget, lost task...), no provider status. */
  public static Failure retryable(FailureReason reason, String message) {
    return new Failure(reason, message, Optional.empty(), true);
  }

  /** A failure the same command will meet again (rejected input, moderation...). */
  public static Failure permanent(FailureReason reason, String message) {
    return new Failure(reason, message, Optional.empty(), false);
  }

  /** The same failure with the provider's raw status (none when {@code status} is null). */
  public Failure status(String status) {
    return new Failure(reason, message, Optional.ofNullable(status), retryable);
  }
}
