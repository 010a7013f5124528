package io.renderrelay.worker.provider;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Waits for a provider answer with a timeout that does not count the time the process was frozen
 * (SIGSTOP, a long GC pause, a suspended VM): the wait goes in short slices on the monotonic clock,
 * and a slice that took far longer than asked is a pause, by which the deadline moves on (the way
 * Hadoop's JvmPauseMonitor spots pauses).
 *
 * <p>Why: the JDK HttpClient's own request timer fires on SIGCONT before its selector reads the
 * answer already waiting in the socket, so a submit the provider took and answered during the
 * freeze was recorded as a lost answer (AMBIGUOUS) though it was paid once. With this wait the
 * frozen process reads that answer; a provider that really stays silent still times out after the
 * request timeout of running time.
 */
final class PauseAwareWait {

  /** A slice that overran its length by more than this counts as a pause. */
  static final Duration PAUSE_THRESHOLD = Duration.ofMillis(500);

  private static final Duration SLICE = Duration.ofMillis(100);

  private final LongSupplier monotonicNanos;
  private final long sliceNanos;
  private final long thresholdNanos;

  PauseAwareWait() {
    this(System::nanoTime, SLICE, PAUSE_THRESHOLD);
  }

  PauseAwareWait(LongSupplier monotonicNanos, Duration slice, Duration pauseThreshold) {
    this.monotonicNanos = Objects.requireNonNull(monotonicNanos, "monotonicNanos");
    this.sliceNanos = slice.toNanos();
    this.thresholdNanos = pauseThreshold.toNanos();
    if (sliceNanos <= 0 || thresholdNanos < 0) {
      throw new IllegalArgumentException("slice must be positive, threshold not negative");
    }
  }

  /**
   * The future's value once it completes within {@code timeout} of running (not frozen) time.
   *
   * @throws HttpTimeoutException no answer in time (the future is cancelled, aborting the exchange)
   * @throws ExecutionException the future failed
   * @throws InterruptedException the waiting thread was interrupted (the future is cancelled)
   */
  <T> T await(CompletableFuture<T> future, Duration timeout)
      throws HttpTimeoutException, ExecutionException, InterruptedException {
    return await(future, timeout, false);
  }

  /**
   * Like {@link #await(CompletableFuture, Duration)}; with {@code readAfterInterrupt} an interrupt
   * does not end the wait: a submit whose request went out is paid or not by the provider's answer
   * alone, so the answer is still read (within the same timeout) and the interrupt is kept for the
   * caller. Without it (polls) the interrupt cancels the exchange.
   */
  <T> T await(CompletableFuture<T> future, Duration timeout, boolean readAfterInterrupt)
      throws HttpTimeoutException, ExecutionException, InterruptedException {
    long deadline = monotonicNanos.getAsLong() + timeout.toNanos();
    long mark = monotonicNanos.getAsLong();
    boolean interrupted = false;
    try {
      while (true) {
        long asked = Math.max(1, Math.min(sliceNanos, deadline - mark));
        try {
          return future.get(asked, TimeUnit.NANOSECONDS);
        } catch (TimeoutException slice) {
          long now = monotonicNanos.getAsLong();
          long overrun = now - mark - asked;
          if (overrun > thresholdNanos) {
            deadline += overrun; // the process was frozen: that time is no waiting for the answer
          }
          mark = now;
          if (now >= deadline && !future.isDone()) {
            future.cancel(true);
            throw new HttpTimeoutException("request timed out");
          }
        } catch (InterruptedException e) {
          if (!readAfterInterrupt) {
            future.cancel(true);
            throw e;
          }
          interrupted = true; // the answer says whether the provider took (and billed) it
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
