package io.renderrelay.worker.engine;

import java.time.Duration;

/** What the engine reports for metrics and logs. */
public interface PipelineListener {

  default void transactionCommitted(int records, int offsets, Duration took) {}

  default void transactionFailed(Throwable error) {}

  default void pollLateness(String topic, Duration late) {}

  default void stepFailed(Work work, Throwable error) {}

  default void backpressure(boolean on) {}

  default void intakePaused(boolean paused) {}

  default void inFlight(int running, int queued) {}

  /** The partition numbers this instance owns after a rebalance. */
  default void partitionsOwned(java.util.Set<Integer> partitions) {}

  /** Records waiting in this instance's assigned partitions of one topic. */
  default void lag(String topic, long records) {}

  PipelineListener NONE = new PipelineListener() {};
}
