package io.renderrelay.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A bounded pipe between a download and the body of a streaming PUT: a reader thread reads (and,
 * through the {@link PartReader}, hashes) the download into at most {@value #BUFFERS} buffers of
 * {@value #BUFFER_BYTES} bytes while the SDK signs and sends the previous ones from {@link
 * #stream()}, so that the download and the copier's SHA-256 overlap the upload instead of taking
 * turns with it on one thread. Memory: at most {@link #BYTES} bytes per copy, allocated as needed.
 *
 * <p>The reader's failure is kept by the {@link PartReader} and surfaces to the SDK as an
 * IOException at the point the body reaches it. The digests and the reader's state may be read only
 * after {@link #finish()} (the upload succeeded: the reader reads to the end of the download) or
 * {@link #close()} (stops the reader wherever it is), which both wait for the reader thread.
 */
final class ReadAhead implements AutoCloseable {
  static final int BUFFERS = 4;
  static final int BUFFER_BYTES = 64 * 1024;

  /** The most heap one read-ahead holds. */
  static final long BYTES = (long) BUFFERS * BUFFER_BYTES;

  private static final Chunk END = new Chunk(new byte[0], -1);
  private static final long JOIN_SECONDS = 30;

  /** A filled buffer, or {@link #END} (the download ended or failed; the reader knows which). */
  private record Chunk(byte[] buffer, int length) {}

  private final PartReader reader;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
  private final Thread thread;
  private int allocated;
  private volatile Throwable unexpected;

  ReadAhead(PartReader reader) {
    this.reader = reader;
    this.thread = Thread.ofVirtual().name("copy-read-ahead").unstarted(this::readAll);
  }

  /**
   * Starts the reader and returns the body for the SDK (one consumer). The stream ends when the
   * download ended; it throws an IOException when the download failed.
   */
  InputStream stream() {
    thread.start();
    return new Body();
  }

  /**
   * Waits for the reader to reach the end of the download (the SDK may stop reading at the
   * announced length before the stream's end was seen); the socket's read timeout bounds the wait.
   */
  void finish() throws CopyException {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CopyException.Retryable("interrupted waiting for the end of the download", e);
    }
  }

  /** Stops the reader if it still runs and waits for it (every path, success included). */
  @Override
  public void close() {
    if (!thread.isAlive()) {
      return;
    }
    thread.interrupt(); // a virtual thread blocked in a socket read gets its socket closed
    try {
      if (!thread.join(Duration.ofSeconds(JOIN_SECONDS))) {
        throw new IllegalStateException("the copy's read-ahead thread did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void readAll() {
    try {
      while (true) {
        byte[] buffer = nextFree();
        int n = reader.fill(buffer);
        if (n > 0) {
          full.put(new Chunk(buffer, n));
        }
        if (reader.eof()) {
          break;
        }
      }
    } catch (CopyException e) {
      // kept by the PartReader as its failure(); the body reports it
    } catch (RuntimeException | Error e) {
      unexpected = e;
      throw e; // reported by the thread's uncaught-exception handler too
    } catch (InterruptedException e) {
      // closed: nobody reads the body any more
    } finally {
      // Whatever ended the reader, the body must end: an Error (OutOfMemoryError on a small heap)
      // left the SDK waiting for ever. offer never blocks (room for BUFFERS chunks and the end)
      // and ignores an interrupt.
      full.offer(END);
    }
  }

  private byte[] nextFree() throws InterruptedException {
    byte[] buffer = free.poll();
    if (buffer != null) {
      return buffer;
    }
    if (allocated < BUFFERS) {
      allocated++;
      return new byte[BUFFER_BYTES];
    }
    return free.take();
  }

  /** The consumer side: hands each buffer back once the SDK has read it. */
  private final class Body extends InputStream {
    private Chunk current;
    private int position;
    private boolean ended;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int r = read(one, 0, 1);
      return r < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!advance()) {
        return -1;
      }
      int n = Math.min(len, current.length() - position);
      System.arraycopy(current.buffer(), position, b, off, n);
      position += n;
      if (position == current.length()) {
        free.add(current.buffer()); // back to the reader at once
        current = null;
      }
      return n;
    }

    /** True when {@link #current} has bytes; false at the end. */
    private boolean advance() throws IOException {
      if (ended) {
        return false;
      }
      if (current != null) {
        return true;
      }
      Chunk next = take();
      if (next == END) {
        ended = true;
        CopyException failure = reader.failure();
        if (failure != null) {
          throw new IOException(failure.getMessage(), failure);
        }
        if (unexpected != null) {
          throw new IOException("reading the download failed", unexpected);
        }
        return false;
      }
      current = next;
      position = 0;
      return true;
    }

    /** The reader always ends with END (a stalled download ends by its socket read timeout). */
    private Chunk take() throws IOException {
      try {
        return full.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for the download", e);
      }
    }
  }
}
