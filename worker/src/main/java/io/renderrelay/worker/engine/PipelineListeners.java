package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several listeners seen as one (the metrics bridge, the rate share and, for benchmarks, an
 * observer), called in order. A listener that throws does not stop the others, nor the loop.
 */
public final class PipelineListeners implements PipelineListener {

  private static final Logger log = LoggerFactory.getLogger(PipelineListeners.class);

  private final List<PipelineListener> listeners;

  private PipelineListeners(List<PipelineListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  public static PipelineListener of(PipelineListener... listeners) {
    return new PipelineListeners(List.of(listeners));
  }

  @Override
  public void transactionCommitted(int records, int offsets, Duration took) {
    each(l -> l.transactionCommitted(records, offsets, took));
  }

  @Override
  public void transactionFailed(Throwable error) {
    each(l -> l.transactionFailed(error));
  }

  @Override
  public void pollLateness(String topic, Duration late) {
    each(l -> l.pollLateness(topic, late));
  }

  @Override
  public void stepFailed(Work work, Throwable error) {
    each(l -> l.stepFailed(work, error));
  }

  @Override
  public void backpressure(boolean on) {
    each(l -> l.backpressure(on));
  }

  @Override
  public void intakePaused(boolean paused) {
    each(l -> l.intakePaused(paused));
  }

  @Override
  public void inFlight(int running, int queued) {
    each(l -> l.inFlight(running, queued));
  }

  @Override
  public void partitionsOwned(Set<Integer> partitions) {
    each(l -> l.partitionsOwned(partitions));
  }

  @Override
  public void lag(String topic, long records) {
    each(l -> l.lag(topic, records));
  }

  private void each(Consumer<PipelineListener> call) {
    for (PipelineListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("pipeline listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
