package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Several listeners seen as one, called in order. */
public final class PipelineListeners implements PipelineListener {

  private final List<PipelineListener> listeners;

  private PipelineListeners(List<PipelineListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  public static PipelineListener of(PipelineListener... listeners) {
    return new PipelineListeners(List.of(listeners));
  }

  @Override
  public void transactionCommitted(int records, int offsets, Duration took) {
    listeners.forEach(l -> l.transactionCommitted(records, offsets, took));
  }

  @Override
  public void transactionFailed(Throwable error) {
    listeners.forEach(l -> l.transactionFailed(error));
  }

  @Override
  public void pollLateness(String topic, Duration late) {
    listeners.forEach(l -> l.pollLateness(topic, late));
  }

  @Override
  public void stepFailed(Work work, Throwable error) {
    listeners.forEach(l -> l.stepFailed(work, error));
  }

  @Override
  public void backpressure(boolean on) {
    listeners.forEach(l -> l.backpressure(on));
  }

  @Override
  public void intakePaused(boolean paused) {
    listeners.forEach(l -> l.intakePaused(paused));
  }

  @Override
  public void inFlight(int running, int queued) {
    listeners.forEach(l -> l.inFlight(running, queued));
  }

  @Override
  public void partitionsOwned(Set<Integer> partitions) {
    listeners.forEach(l -> l.partitionsOwned(partitions));
  }

  @Override
  public void lag(String topic, long records) {
    listeners.forEach(l -> l.lag(topic, records));
  }
}
