package io.renderrelay.worker.instance;

import io.renderrelay.worker.engine.PipelineListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Tells a duplicate instance identity from an ordinary fence. One fenced transaction happens when a
 * replacement with the same instance id took over from a stalled process; fenced transactions that
 * keep coming mean two live processes share the transactional id and fence each other in turn.
 * After {@code limit} fences within {@code window} the watch reports it once, so the worker stops
 * with a clear error instead of restarting in a loop.
 */
public final class FencingWatch implements PipelineListener {

  private final Clock clock;
  private final int limit;
  private final Duration window;
  private final Consumer<String> onDuplicate;
  private final Deque<Instant> fences = new ArrayDeque<>();
  private boolean reported;

  public FencingWatch(Clock clock, int limit, Duration window, Consumer<String> onDuplicate) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1: " + limit);
    }
    this.clock = clock;
    this.limit = limit;
    this.window = window;
    this.onDuplicate = onDuplicate;
  }

  @Override
  public void transactionFailed(Throwable error) {
    if (!fenced(error)) {
      return;
    }
    Instant now = clock.instant();
    boolean report;
    synchronized (fences) {
      fences.addLast(now);
      while (!fences.isEmpty() && fences.peekFirst().isBefore(now.minus(window))) {
        fences.removeFirst();
      }
      report = fences.size() >= limit && !reported;
      reported |= report;
    }
    if (report) {
      onDuplicate.accept(
          "the transactional id of this worker was fenced "
              + limit
              + " times within "
              + window
              + ": another live process uses the same instance.id. Give each replica its own"
              + " instance.id (RENDER_RELAY_INSTANCE_ID), e.g. the pod name.");
    }
  }

  static boolean fenced(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
