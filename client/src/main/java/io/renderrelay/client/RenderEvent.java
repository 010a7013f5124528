package io.renderrelay.client;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import java.util.Objects;
import java.util.Optional;

/**
 * A terminal event of one job, as a closed set: switch over it to handle every case.
 *
 * <pre>{@code
 * switch (event) {
 *   case RenderEvent.Completed c -> fetch(S3Location.of(c.event().getVideo()));
 *   case RenderEvent.Failed f -> alert(f.event().getReason());
 * }
 * }</pre>
 */
public sealed interface RenderEvent {

  /** The job id (the record key). */
  String jobId();

  /** Wraps a decoded value of the events topic; empty when it is of no known event type. */
  static Optional<RenderEvent> of(Object value) {
    return switch (value) {
      case RenderCompleted c -> Optional.of(new Completed(c));
      case RenderFailed f -> Optional.of(new Failed(f));
      case null, default -> Optional.empty();
    };
  }

  /**
   * The render is in S3.
   *
   * @param event the decoded event
   */
  record Completed(RenderCompleted event) implements RenderEvent {
    /** Checks the event is present. */
    public Completed {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String jobId() {
      return event.getJobId();
    }
  }

  /**
   * The job ended without a render.
   *
   * @param event the decoded event
   */
  record Failed(RenderFailed event) implements RenderEvent {
    /** Checks the event is present. */
    public Failed {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public String jobId() {
      return event.getJobId();
    }
  }
}
