package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports every engine event to several listeners in order (the metrics bridge plus, for benchmarks
 * and tests, an extra observer). A listener that throws does not stop the others.
 */
public final class FanOutPipelineListener implements PipelineListener {

  private static final Logger log = LoggerFactory.getLogger(FanOutPipelineListener.class);

  private final List<PipelineListener> listeners;

  public FanOutPipelineListener(List<PipelineListener> listeners) {
    this.listeners = List.copyOf(listeners);
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
  public void lag(String topic, long records) {
    each(l -> l.lag(topic, records));
  }

  private void each(Consumer<PipelineListener> call) {
    for (PipelineListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.warn("pipeline listener {} failed: {}", l.getClass().getName(), e.toString());
      }
    }
  }
}
