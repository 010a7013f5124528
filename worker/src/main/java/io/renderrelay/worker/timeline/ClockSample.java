package io.renderrelay.worker.timeline;

import java.time.Duration;
import java.time.Instant;

/**
 * One produce round trip to a topic whose records the broker stamps with its own clock ({@code
 * message.timestamp.type=LogAppendTime}): sent at {@code sent} and acknowledged at {@code acked} by
 * this machine's clock, appended at {@code broker} by the broker's. The append happened between the
 * send and the acknowledgement, so the broker's clock minus this machine's lies in {@code [broker -
 * acked, broker - sent]}; the narrower the round trip, the tighter the bound.
 */
public record ClockSample(Instant sent, Instant acked, Instant broker) {

  public ClockSample {
    if (acked.isBefore(sent)) {
      throw new IllegalArgumentException("acknowledged before it was sent: " + sent + " " + acked);
    }
  }

  /** The round trip: twice the uncertainty of {@link #offset()}. */
  Duration roundTrip() {
    return Duration.between(sent, acked);
  }

  /** The broker's clock minus this machine's, taken at the middle of the round trip. */
  public Duration offset() {
    return Duration.between(sent.plus(roundTrip().dividedBy(2)), broker);
  }

  /** The smallest offset the sample allows. */
  Duration lowest() {
    return Duration.between(acked, broker);
  }

  /** The largest offset the sample allows. */
  Duration highest() {
    return Duration.between(sent, broker);
  }

  /** True when both samples allow a common offset (within {@code slack}). */
  boolean agreesWith(ClockSample other, Duration slack) {
    return lowest().minus(slack).compareTo(other.highest()) <= 0
        && other.lowest().minus(slack).compareTo(highest()) <= 0;
  }
}
