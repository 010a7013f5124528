package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {

  @Test
  void passesStreamsUpToTheLimit() throws IOException {
    var in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 100);
    assertThat(in.readAllBytes()).hasSize(100);
    assertThat(in.count()).isEqualTo(100);
    assertThat(in.reachedEof()).isTrue();
  }

  @Test
  void failsOneByteBeyondTheLimitWithoutReadingFurther() {
    var source = new CountingSource(10_000);
    var in = new LimitedInputStream(source, 100);
    assertThatThrownBy(in::readAllBytes)
        .isInstanceOf(OutputTooLargeException.class)
        .hasMessage("output is larger than the limit of 100 bytes");
    assertThat(source.served).isEqualTo(101);
  }

  @Test
  void singleByteReadsAreCountedToo() throws IOException {
    var in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);
    in.read();
    in.read();
    assertThatThrownBy(in::read).isInstanceOf(OutputTooLargeException.class);
  }

  /** An endless-ish source that records how many bytes it handed out. */
  private static final class CountingSource extends InputStream {
    private final long size;
    long served;

    CountingSource(long size) {
      this.size = size;
    }

    @Override
    public int read() {
      return served < size ? (int) (served++ & 0x7f) : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (served >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - served);
      served += n;
      return n;
    }
  }
}
