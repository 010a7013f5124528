package io.renderrelay.worker.provider;

import java.util.Locale;

/**
 * Maps every status string the provider is known to send into {@link TaskStatus}: the classic
 * gateway's codes {@code "0".."3"} and {@code state}, the newer gateway's names and Runway's own.
 * Anything else is {@link TaskStatus#UNKNOWN}; this class never throws.
 */
public final class StatusNormaliser {

  /** The internal status of {@code raw}; blank or unknown values give UNKNOWN. */
  public TaskStatus normalise(String raw) {
    if (raw == null) {
      return TaskStatus.UNKNOWN;
    }
    return switch (raw.strip().toUpperCase(Locale.ROOT)) {
      // classic codes (inferred), newer gateway, Runway
      case "0", "QUEUED", "PENDING", "THROTTLED", "NOT_START", "SUBMITTED" -> TaskStatus.PENDING;
      case "1", "IN_PROGRESS", "RUNNING", "PROCESSING" -> TaskStatus.RUNNING;
      case "3", "SUCCESS", "SUCCEEDED" -> TaskStatus.SUCCEEDED;
      case "2", "FAILURE", "FAILED" -> TaskStatus.FAILED;
      case "CANCELLED", "CANCELED" -> TaskStatus.CANCELLED;
      default -> TaskStatus.UNKNOWN;
    };
  }
}
