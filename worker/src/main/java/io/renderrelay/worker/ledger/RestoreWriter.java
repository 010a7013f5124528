package io.renderrelay.worker.ledger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The store side of one restore: runs the writes on a thread of their own, in the order given, so
 * the restore consumer fetches and parses the next records while the previous ones go into the
 * store. At most {@code depth} writes wait (a bound on the records held in memory). A failed write
 * fails the restore at the next submit or at {@link #drain}, and no write queued after it runs (a
 * partition is never reported caught up past an entry it could not store). Used by one thread.
 */
final class RestoreWriter implements AutoCloseable {

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final ExecutorService thread;
  private final Deque<Future<?>> pending = new ArrayDeque<>();
  private final int depth;
  private volatile boolean failed;

  RestoreWriter(String name, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1: " + depth);
    }
    this.thread =
        Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).unstarted(r));
    this.depth = depth;
  }

  /** Queues {@code write} after the ones before it; waits while {@code depth} are queued. */
  void submit(Runnable write) {
    while (pending.size() >= depth) {
      await(pending.removeFirst());
    }
    reapDone();
    pending.addLast(
        thread.submit(
            () -> {
              if (failed) {
                return; // nothing after a failed write runs: the partition is not restored
              }
              try {
                write.run();
              } catch (RuntimeException | Error e) {
                failed = true;
                throw e;
              }
            }));
  }

  /** Waits until every queued write ran; rethrows the first failure. */
  void drain() {
    while (!pending.isEmpty()) {
      await(pending.removeFirst());
    }
  }

  /** Stops the thread; a write still running is waited for, so none runs after this returns. */
  @Override
  public void close() {
    pending.forEach(f -> f.cancel(false));
    pending.clear();
    thread.shutdown();
    try {
      if (!thread.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void reapDone() {
    while (!pending.isEmpty() && pending.peekFirst().isDone()) {
      await(pending.removeFirst());
    }
  }

  private static void await(Future<?> write) {
    try {
      write.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("ledger restore interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("ledger restore write failed", e.getCause());
    }
  }
}
