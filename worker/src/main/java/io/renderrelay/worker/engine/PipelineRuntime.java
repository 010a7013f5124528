package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one {@link PipelineLoop} running: when a loop dies (a failed transaction, a lost broker) it
 * is closed and a fresh one is built, which restores the ledger and resumes from the committed
 * offsets. Stops within the grace period on request.
 */
public final class PipelineRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineRuntime.class);

  private final Supplier<PipelineLoop> loops;
  private final Duration restartBackoff;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<PipelineLoop> current = new AtomicReference<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;
  private volatile int restarts;
  private volatile boolean drainedInTime = true;

  public PipelineRuntime(Supplier<PipelineLoop> loops, Duration restartBackoff) {
    this.loops = loops;
    this.restartBackoff = restartBackoff;
    this.thread = Thread.ofPlatform().name("rr-pipeline").unstarted(this::supervise);
  }

  public void start() {
    thread.start();
  }

  /** True while a loop is running (liveness). */
  public boolean alive() {
    PipelineLoop loop = current.get();
    return thread.isAlive() && (loop == null || loop.isRunning() || !stopping.get());
  }

  public int restarts() {
    return restarts;
  }

  private void supervise() {
    try {
      while (!stopping.get()) {
        PipelineLoop loop = null;
        try {
          loop = loops.get();
          current.set(loop);
          if (stopping.get()) {
            break;
          }
          loop.run();
          drainedInTime = loop.drainedInTime();
        } catch (RuntimeException e) {
          if (stopping.get()) {
            break;
          }
          restarts++;
          log.error(
              "pipeline loop failed, starting a fresh one in {}: {}",
              restartBackoff,
              e.toString(),
              e);
        } finally {
          closeQuietly(loop);
          current.set(null);
        }
        if (!stopping.get()) {
          sleep(restartBackoff);
        }
      }
    } finally {
      stopped.countDown();
    }
  }

  /**
   * Stops intake, lets in-flight work finish and commit, within {@code grace}. Returns true when
   * the loop stopped in time and its drain ended with nothing left in flight.
   */
  public boolean stop(Duration grace) {
    stopping.set(true);
    PipelineLoop loop = current.get();
    if (loop != null) {
      loop.stop();
    }
    try {
      return stopped.await(grace.toMillis(), TimeUnit.MILLISECONDS) && drainedInTime;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
  }

  private static void closeQuietly(PipelineLoop loop) {
    if (loop == null) {
      return;
    }
    try {
      loop.close();
    } catch (RuntimeException e) {
      log.warn("closing the pipeline loop failed: {}", e.toString());
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
