package io.renderrelay.worker.storage;

import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.MDC;

/**
 * Runs the copies of one job's outputs at once, each on its own virtual thread (each still waits
 * for its own permit in {@link BoundedCopier}), and returns only when every one has ended, so no
 * copy outlives the step that started it. The results come back in the order of the tasks; when
 * copies fail, the failure of the first failed task in that order is thrown (the one a sequential
 * run would have met first). The caller's trace context and log MDC go with each task.
 */
public final class ConcurrentCopies {

  /** One copy of one output. */
  @FunctionalInterface
  public interface Task<T> {
    T run() throws CopyException;
  }

  private ConcurrentCopies() {}

  /**
   * Runs {@code tasks} at once and waits for all of them. An interrupt of the caller interrupts
   * every copy still running, waits for them to end and fails as {@link CopyException.Retryable}
   * with the interrupt flag set again.
   */
  public static <T> List<T> all(List<Task<T>> tasks) throws CopyException {
    if (tasks.size() == 1) {
      return List.of(tasks.get(0).run());
    }
    List<Future<T>> futures = new ArrayList<>(tasks.size());
    List<T> results = new ArrayList<>(tasks.size());
    Throwable failure = null;
    boolean interrupted = false;
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    try (ExecutorService threads =
        Context.taskWrapping(Executors.newVirtualThreadPerTaskExecutor())) {
      for (Task<T> task : tasks) {
        futures.add(threads.submit(() -> withMdc(mdc, task)));
      }
      for (Future<T> future : futures) {
        try {
          results.add(future.get());
        } catch (ExecutionException e) {
          failure = failure == null ? e.getCause() : failure;
        } catch (InterruptedException e) {
          interrupted = true;
          threads.shutdownNow(); // interrupts the copies; close() waits for them to end
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("copies interrupted", null);
    }
    return switch (failure) {
      case null -> results;
      case CopyException e -> throw e;
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException("copy failed unexpectedly", failure);
    };
  }

  private static <T> T withMdc(Map<String, String> mdc, Task<T> task) throws CopyException {
    if (mdc != null) {
      MDC.setContextMap(mdc);
    }
    try {
      return task.run();
    } finally {
      MDC.clear();
    }
  }
}
