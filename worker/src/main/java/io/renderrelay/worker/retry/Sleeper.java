package io.renderrelay.worker.retry;

import java.time.Duration;

/** Waits for a while; injected so that tests advance a fake clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  /** Waits {@code duration}; zero or negative returns at once. */
  void sleep(Duration duration) throws InterruptedException;

  /** The real thing: {@link Thread#sleep(Duration)}. */
  static Sleeper system() {
    return duration -> {
      if (duration.isPositive()) {
        Thread.sleep(duration);
      }
    };
  }
}
