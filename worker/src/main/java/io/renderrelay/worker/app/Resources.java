package io.renderrelay.worker.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the worker opened, closed in reverse order when it stops. */
final class Resources implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Resources.class);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Closes {@code closeable} when the worker stops; returns it. */
  synchronized <T extends AutoCloseable> T own(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** A single daemon thread for scheduled work, stopped when the worker closes. */
  ScheduledExecutorService scheduler(String name) {
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name(name).daemon().factory());
    own(
        () -> {
          s.shutdownNow();
          s.awaitTermination(10, TimeUnit.SECONDS);
        });
    return s;
  }

  /** Closes everything owned, last opened first; a failure is logged and the rest still close. */
  @Override
  public synchronized void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        log.warn(
            "closing {} failed: {}", closeables.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    closeables.clear();
  }
}
