package io.renderrelay.devstack;

import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of an embedded server that keeps its data in a directory: {@link #start()} (a no-op
 * while it runs), {@link #stop()} keeping port and data for a later start, {@link #close()} for
 * good, deleting the directory when it is a temporary one. Subclasses say how to bring their server
 * up and down; all of it runs under this object's lock.
 */
public abstract class EmbeddedServer<S> implements AutoCloseable {
  /** The subclass's logger, so the lines keep their server's category. */
  private final Logger log = LoggerFactory.getLogger(getClass());

  private final String name;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private S running;
  private boolean closed;

  /**
   * @param name how logs and errors call the server, e.g. {@code embedded kafka}
   * @param dataDir where to keep data; empty for a temporary directory named after {@code
   *     tempPrefix}, deleted on close
   */
  protected EmbeddedServer(String name, Optional<Path> dataDir, String tempPrefix) {
    this.name = name;
    this.ownsDataDir = dataDir.isEmpty();
    this.dataDir = Directories.ensureOrTemp(dataDir, tempPrefix);
  }

  /** Starts the server and returns once it serves; a no-op if it already runs. */
  public final synchronized void start() {
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    if (running != null) {
      return;
    }
    long t0 = System.nanoTime();
    running = startServer();
    log.info("{} up at {} in {} ms", name, address(), elapsedMs(t0));
  }

  /** Stops the server, keeping its port and data for a later {@link #start()}. */
  public final synchronized void stop() {
    if (running == null) {
      return;
    }
    long t0 = System.nanoTime();
    S s = running;
    running = null;
    stopQuietly(s);
    log.info("{} at {} stopped in {} ms", name, address(), elapsedMs(t0));
  }

  /** True while the server runs. */
  public final synchronized boolean isRunning() {
    return running != null;
  }

  /** Stops the server for good and deletes its data directory if it is a temporary one. */
  @Override
  public final synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    release();
    if (ownsDataDir) {
      Directories.deleteRecursively(dataDir);
    }
  }

  /** Where the server keeps its data. */
  protected final Path dataDirectory() {
    return dataDir;
  }

  /** Brings a server up and returns it once it serves; throws if it cannot. */
  protected abstract S startServer();

  /** Brings {@code server} down, logging rather than throwing what goes wrong. */
  protected abstract void stopQuietly(S server);

  /** Where clients reach the running server, for the log. */
  protected abstract String address();

  /** Frees what outlives a stop, once, on close (before the data directory goes). */
  protected void release() {}

  private static long elapsedMs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
