package io.renderrelay.worker.provider;

import java.time.Instant;
import java.util.Objects;

/**
 * A claim on one paid submit, taken before its intent is committed: the submission gate let it
 * through (open, or this submit is the gate's one probe) and the first request's submit-rate permit
 * is already taken, so the POST that follows the intent does not wait again.
 *
 * @param grantedAt when the rate permit was granted (the POST must follow within the permit's
 *     lifetime, else a fresh permit is needed: see {@link SubmitAdmission})
 * @param grantedNanos the same moment on the monotonic clock that decides the permit's freshness (a
 *     wall-clock step must not let a stale permit POST)
 * @param probe this submit is the probe of a closed gate
 */
public record SubmitPermit(Instant grantedAt, long grantedNanos, boolean probe) {

  public SubmitPermit {
    Objects.requireNonNull(grantedAt, "grantedAt");
  }
}
