package io.renderrelay.worker.storage;

import java.io.IOException;

/**
 * Reads one download, feeding every byte once to the stream's digests: into a caller's buffer part
 * by part (multipart upload, verification pass), or as the body of a streaming PUT ({@link
 * #stream()}). Download failures are sorted here: oversize is Rejected, anything else Retryable.
 */
final class PartReader {
  private final Download download;
  private final StreamDigests digests;
  private final long maxBytes;
  // volatile: the SDK may read the body on a thread of its own; the copy's thread looks at them
  // when the upload failed
  private volatile boolean eof;
  private volatile CopyException failure;

  PartReader(Download download, StreamDigests digests, long maxBytes) {
    this.download = download;
    this.digests = digests;
    this.maxBytes = maxBytes;
  }

  boolean eof() {
    return eof;
  }

  StreamDigests digests() {
    return digests;
  }

  /** Fills {@code buffer} from the start; returns the bytes read (fewer only at the end). */
  int fill(byte[] buffer) throws CopyException {
    int n = 0;
    while (n < buffer.length) {
      int r = read(buffer, n, buffer.length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** Reads and hashes the rest without keeping it (a verification pass). */
  void drain(byte[] scratch) throws CopyException {
    while (read(scratch, 0, scratch.length) >= 0) {
      // hashing only
    }
  }

  /** Fails unless the download ended with as many bytes as it announced. */
  void checkComplete() throws CopyException {
    long announced = download.contentLength().orElse(digests.total());
    if (!eof || announced != digests.total()) {
      throw new CopyException.Retryable(
          "download from "
              + download.host()
              + " ended after "
              + digests.total()
              + " of "
              + announced
              + " bytes",
          null);
    }
  }

  /**
   * The download as the body of a streaming PUT, read by the SDK's thread: a failure surfaces as an
   * IOException there and stays available from {@link #failure()}.
   */
  java.io.InputStream stream() {
    return new java.io.InputStream() {
      @Override
      public int read() throws IOException {
        return LimitedInputStream.readOne(this);
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
          return 0;
        }
        try {
          return PartReader.this.read(b, off, len);
        } catch (CopyException e) {
          throw new IOException(e.getMessage(), e);
        }
      }
    };
  }

  /** The failure a read met (kept for the thread that sees it wrapped by the SDK), if any. */
  CopyException failure() {
    return failure;
  }

  private int read(byte[] b, int off, int len) throws CopyException {
    if (eof) {
      return -1;
    }
    int r;
    try {
      r = download.body().read(b, off, len);
    } catch (OutputTooLargeException e) {
      throw fail(
          new CopyException.Rejected(
              "output at "
                  + download.host()
                  + " is larger than the limit of "
                  + maxBytes
                  + " bytes (stopped reading)"));
    } catch (IOException e) {
      throw fail(
          new CopyException.Retryable(
              "download from "
                  + download.host()
                  + " failed after "
                  + digests.total()
                  + " bytes: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage(),
              e));
    }
    if (r < 0) {
      eof = true;
    } else {
      digests.update(b, off, r);
    }
    return r;
  }

  private CopyException fail(CopyException e) {
    failure = e;
    return e;
  }
}
