package io.renderrelay.worker.storage;

import java.time.Duration;

/** Waits; injected so retry tests run without real time passing. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return Thread::sleep;
  }
}
