package io.renderrelay.worker.kafka;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background thread that reads a topic with a consumer of its own until closed, and starts over
 * with a new consumer after any failure, an {@link Error} too: a reader thread that ended would
 * silently freeze what it feeds. Where to go on from is the reader's own state (it keeps the
 * offsets it has applied), so a restart counts nothing twice.
 */
public final class RestartingReader implements AutoCloseable {

  /** What the reader does with one consumer: read until {@code closed}; throw to start over. */
  @FunctionalInterface
  public interface Follow {
    void follow(Consumer<byte[], byte[]> consumer, BooleanSupplier closed);
  }

  private static final Logger log = LoggerFactory.getLogger(RestartingReader.class);

  private final String what;
  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final Follow follow;
  private final Duration retryPause;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Consumer<byte[], byte[]> consumer;

  /**
   * @param threadName the reader thread's name
   * @param what what is read, for the log line of a restart
   * @param retryPause the pause before a new consumer after a failure
   */
  public RestartingReader(
      String threadName,
      String what,
      Supplier<Consumer<byte[], byte[]>> consumers,
      Follow follow,
      Duration retryPause) {
    this.what = what;
    this.consumers = consumers;
    this.follow = follow;
    this.retryPause = retryPause;
    this.thread = Thread.ofPlatform().name(threadName).daemon().unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  private void run() {
    while (!closed) {
      try (var c = consumers.get()) {
        consumer = c;
        if (closed) {
          // a close while this consumer was built woke the one before: this one it may have missed,
          // and the reader's first broker calls (metadata, offsets) do not look at closed
          return;
        }
        follow.follow(c, () -> closed);
      } catch (WakeupException | InterruptException e) {
        return;
      } catch (RuntimeException | Error e) {
        if (closed) {
          return;
        }
        log.warn("reading {} failed, starting over: {}", what, e.toString());
        pause();
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(retryPause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    var c = consumer;
    if (c != null) {
      c.wakeup();
    }
    thread.join(Duration.ofSeconds(5));
  }
}
