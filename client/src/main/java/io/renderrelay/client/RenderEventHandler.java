package io.renderrelay.client;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.LoggerFactory;

/**
 * Receives the terminal events of render jobs from a {@link RenderEventListener}. Delivery is at
 * least once: after a crash or rebalance an event may come again, so make the handling idempotent
 * by job id (e.g. "insert if absent"). A method that throws makes the listener deliver the same
 * record again after a back-off; offsets are committed only after the handler returned.
 */
public interface RenderEventHandler {

  /** A job's render is in S3. */
  void onCompleted(RenderCompleted event);

  /** A job ended without a render. */
  void onFailed(RenderFailed event);

  /**
   * A record of a type this client does not know (a newer event type, see docs/schema-evolution.md)
   * or a null value. The default logs and skips it.
   *
   * @param key the record key (job id), may be null
   * @param value the decoded value, may be null
   */
  default void onUnknown(String key, Object value) {
    LoggerFactory.getLogger(RenderEventHandler.class)
        .warn(
            "skipping a record of unknown type {} (job {})",
            value == null ? "null" : value.getClass().getName(),
            key);
  }

  /**
   * A record that cannot be decoded (bad bytes, unknown schema id). The default rethrows, which
   * stops the listener, so that no event is lost silently; return normally to skip the record (its
   * offset is then committed).
   *
   * @param partition where the record is
   * @param offset its offset
   * @param cause the decoding error
   */
  default void onUndecodable(TopicPartition partition, long offset, RuntimeException cause) {
    throw cause;
  }

  /** Adapts one consumer of the sealed {@link RenderEvent} into a handler. */
  static RenderEventHandler of(Consumer<RenderEvent> consumer) {
    Objects.requireNonNull(consumer, "consumer");
    return new RenderEventHandler() {
      @Override
      public void onCompleted(RenderCompleted event) {
        consumer.accept(new RenderEvent.Completed(event));
      }

      @Override
      public void onFailed(RenderFailed event) {
        consumer.accept(new RenderEvent.Failed(event));
      }
    };
  }
}
