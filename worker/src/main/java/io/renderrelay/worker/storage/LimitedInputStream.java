package io.renderrelay.worker.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts bytes and fails with {@link OutputTooLargeException} as soon as more than {@code maxBytes}
 * have been read, whatever the server announced: the guard against a missing or lying
 * Content-Length.
 */
final class LimitedInputStream extends FilterInputStream {
  private final long maxBytes;
  private long count;
  private boolean eof;

  LimitedInputStream(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  long count() {
    return count;
  }

  boolean reachedEof() {
    return eof;
  }

  @Override
  public int read() throws IOException {
    return readOne(this);
  }

  /** {@link InputStream#read()} through {@code in}'s bulk read (for streams that read in bulk). */
  static int readOne(InputStream in) throws IOException {
    byte[] one = new byte[1];
    int n = in.read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    // Ask for at most one byte beyond the limit: enough to detect an oversize stream.
    long allowed = maxBytes - count + 1;
    int want = (int) Math.min(len, Math.max(1, allowed));
    int n = in.read(b, off, want);
    if (n < 0) {
      eof = true;
      return n;
    }
    count += n;
    if (count > maxBytes) {
      throw new OutputTooLargeException(maxBytes);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported on a download stream");
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
