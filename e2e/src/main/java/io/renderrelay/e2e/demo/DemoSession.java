package io.renderrelay.e2e.demo;

import io.renderrelay.client.RenderCommandPublisher;
import io.renderrelay.client.RenderEventListener;
import io.renderrelay.devstack.DevStack;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.WorkerConfig.StorageSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Everything the demo started, closed in the right order: publisher and listener first, then the
 * worker (it drains and commits) and its ledger directory, then the S3 client, then the stack.
 * {@link #close()} is idempotent and may run from a shutdown hook.
 */
public final class DemoSession implements AutoCloseable {

  private final DevStack stack;
  private final PrintStream err;
  private RenderRelayWorker worker;
  private RenderEventListener listener;
  private RenderCommandPublisher publisher;
  private S3Sizes s3;
  private Path ledgerDir;
  private boolean closed;
  private final CountDownLatch closedLatch = new CountDownLatch(1);

  /**
   * Creates a session around a started stack.
   *
   * @param stack the embedded stack, closed last
   * @param err where the stop notes go
   */
  public DemoSession(DevStack stack, PrintStream err) {
    this.stack = stack;
    this.err = err;
  }

  /** The stack. */
  public DevStack stack() {
    return stack;
  }

  /** Takes ownership of the worker. */
  public synchronized RenderRelayWorker worker(RenderRelayWorker w) {
    this.worker = w;
    return w;
  }

  /** Takes ownership of the worker's ledger directory, deleted after the worker closed. */
  public synchronized void ledgerDir(Path dir) {
    this.ledgerDir = dir;
  }

  /** Takes ownership of the listener. */
  public synchronized RenderEventListener listener(RenderEventListener l) {
    this.listener = l;
    return l;
  }

  /** Takes ownership of the publisher. */
  public synchronized RenderCommandPublisher publisher(RenderCommandPublisher p) {
    this.publisher = p;
    return p;
  }

  /** Builds (and owns) an S3 size lookup from the worker's storage settings. */
  public synchronized S3Sizes s3(StorageSettings storage) {
    this.s3 = new S3Sizes(storage);
    return s3;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    err.println("demo: stopping");
    long t0 = System.nanoTime();
    quietly("publisher", publisher);
    quietly("listener", listener);
    long w0 = System.nanoTime();
    quietly("worker", worker);
    Duration workerStop = Duration.ofNanos(System.nanoTime() - w0);
    quietly("ledger directory", ledgerDir == null ? null : () -> deleteTree(ledgerDir));
    quietly("s3 client", s3);
    long s0 = System.nanoTime();
    quietly("stack", stack);
    Duration stackStop = Duration.ofNanos(System.nanoTime() - s0);
    err.printf(
        Locale.ROOT,
        "demo: stopped in %.1f s (worker %.1f s, stack %.1f s)%n",
        (System.nanoTime() - t0) / 1e9,
        workerStop.toMillis() / 1000.0,
        stackStop.toMillis() / 1000.0);
    err.flush();
    closedLatch.countDown();
  }

  /** Waits until {@link #close()} finished (e.g. from the Ctrl-C shutdown hook). */
  public void awaitClosed() throws InterruptedException {
    closedLatch.await();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  private void quietly(String what, AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      err.println("demo: closing the " + what + " failed: " + e);
    }
  }
}
