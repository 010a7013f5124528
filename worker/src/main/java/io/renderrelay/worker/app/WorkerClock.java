package io.renderrelay.worker.app;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The worker's clock at the composition root: the system UTC clock, or, for tests only, that clock
 * offset by the JVM system property {@value #OFFSET_PROPERTY} (an ISO-8601 duration such as {@code
 * PT10M} or {@code -PT2M}). {@code scripts/chaos --scenario skew} uses it to run one worker 10
 * minutes ahead; production configurations never set it, and it is not a configuration key.
 */
final class WorkerClock {

  /** The test-only system property; see the class comment. */
  static final String OFFSET_PROPERTY = "renderrelay.testing.clock-offset";

  private WorkerClock() {}

  /**
   * {@code base}, offset by {@code offset} when it is set.
   *
   * @throws IllegalArgumentException when {@code offset} is not an ISO-8601 duration
   */
  static Clock of(String offset, Clock base) {
    if (offset == null || offset.isBlank()) {
      return base;
    }
    try {
      return Clock.offset(base, Duration.parse(offset.trim()));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "-D"
              + OFFSET_PROPERTY
              + "='"
              + offset
              + "' is not an ISO-8601 duration such as PT10M or -PT2M",
          e);
    }
  }
}
