package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReadAheadTest {

  private static PartReader reader(InputStream body, long length) {
    Download download =
        new Download(
            null,
            null,
            body,
            Long.MAX_VALUE,
            OptionalLong.of(length),
            Optional.empty(),
            "cdn.test",
            false,
            OptionalLong.of(length));
    return new PartReader(download, StreamDigests.forUpload(), Long.MAX_VALUE);
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  /** Sizes around the buffer and pool boundaries, read in odd slices. */
  @Test
  void passesEveryByteOnceInOrderAndHashesEachOnce() throws Exception {
    int[] sizes = {
      0,
      1,
      ReadAhead.BUFFER_BYTES,
      ReadAhead.BUFFER_BYTES + 1,
      (int) ReadAhead.BYTES,
      (int) ReadAhead.BYTES * 3 + 17
    };
    for (int size : sizes) {
      byte[] data = bytes(size);
      PartReader reader = reader(new ByteArrayInputStream(data), size);
      byte[] out;
      try (ReadAhead ahead = new ReadAhead(reader)) {
        out = readAll(ahead.stream(), 1000);
        ahead.finish();
      }
      assertThat(out).as("size %d", size).isEqualTo(data);
      assertThat(reader.eof()).isTrue();
      assertThat(reader.digests().total()).isEqualTo(size);
      assertThat(reader.digests().sha256Hex())
          .isEqualTo(Checksums.hex(Checksums.sha256().digest(data)));
    }
  }

  @Test
  void aDownloadFailureReachesTheBodyAsAnIoExceptionAfterTheBytesBeforeIt() throws Exception {
    byte[] data = bytes(100_000);
    InputStream failing =
        new SequenceInputStream(
            new ByteArrayInputStream(data),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("connection reset");
              }
            });
    PartReader reader = reader(failing, 200_000);
    try (ReadAhead ahead = new ReadAhead(reader)) {
      InputStream body = ahead.stream();
      assertThatThrownBy(() -> readAll(body, 4096))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(CopyException.Retryable.class)
          .hasMessageContaining("connection reset");
    }
    assertThat(reader.failure()).isInstanceOf(CopyException.Retryable.class);
  }

  /**
   * An Error on the reader thread (OutOfMemoryError on a small heap, StackOverflowError) must still
   * end the body: before, the reader died without handing over the end and the SDK's read of the
   * body waited for ever, holding the copy's permit and its S3 connection.
   */
  @Test
  void anErrorOnTheReaderThreadEndsTheBodyInsteadOfHangingIt() throws Exception {
    InputStream dying =
        new InputStream() {
          @Override
          public int read() {
            throw new OutOfMemoryError("test: no heap left for the read");
          }

          @Override
          public int read(byte[] b, int off, int len) {
            return read();
          }
        };
    PartReader reader = reader(dying, 1000);
    try (ReadAhead ahead = new ReadAhead(reader)) {
      InputStream body = ahead.stream();
      assertThatThrownBy(() -> readAll(body, 4096))
          .isInstanceOf(IOException.class)
          .hasRootCauseInstanceOf(OutOfMemoryError.class);
    }
  }

  @Test
  void closeStopsAReaderThatNobodyConsumes() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    InputStream endless =
        new InputStream() {
          @Override
          public int read() {
            return 1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            java.util.Arrays.fill(b, off, off + len, (byte) 1);
            blocked.countDown();
            return len;
          }
        };
    PartReader reader = reader(endless, Long.MAX_VALUE);
    ReadAhead ahead = new ReadAhead(reader);
    InputStream body = ahead.stream();
    assertThat(body.read()).isEqualTo(1);
    assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
    ahead.close(); // the reader waits for a free buffer: the interrupt ends it
    long total = reader.digests().total();
    assertThat(total).isLessThanOrEqualTo(ReadAhead.BYTES + ReadAhead.BUFFER_BYTES);
  }

  private static byte[] readAll(InputStream in, int slice) throws IOException {
    var out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[slice];
    int r;
    while ((r = in.read(buf, 0, buf.length)) >= 0) {
      out.write(buf, 0, r);
    }
    return out.toByteArray();
  }
}
