package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
  private static final byte[] HELLO_MD5 =
      Checksums.md5().digest("hello".getBytes(StandardCharsets.UTF_8));

  @Test
  void knownDigests() {
    assertThat(Checksums.hex(HELLO_MD5)).isEqualTo("5d41402abc4b2a76b9719d911017c592");
    assertThat(Checksums.base64(HELLO_MD5)).isEqualTo("XUFAKrxLKna5cZ2REBfFkg==");
    assertThat(Checksums.hex(Checksums.sha256().digest(new byte[0])))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void etagComparisonIgnoresQuotesAndCase() {
    assertThat(Checksums.etagMatchesMd5("\"5d41402abc4b2a76b9719d911017c592\"", HELLO_MD5))
        .isTrue();
    assertThat(Checksums.etagMatchesMd5("5D41402ABC4B2A76B9719D911017C592", HELLO_MD5)).isTrue();
    assertThat(Checksums.etagMatchesMd5("W/\"5d41402abc4b2a76b9719d911017c592\"", HELLO_MD5))
        .isTrue();
  }

  @Test
  void etagMismatchesAreDetected() {
    assertThat(Checksums.etagMatchesMd5("\"5d41402abc4b2a76b9719d911017c593\"", HELLO_MD5))
        .isFalse();
    assertThat(Checksums.etagMatchesMd5("\"5d41402abc4b2a76b9719d911017c592-2\"", HELLO_MD5))
        .isFalse();
    assertThat(Checksums.etagMatchesMd5(null, HELLO_MD5)).isFalse();
    assertThat(Checksums.etagMatchesMd5("", HELLO_MD5)).isFalse();
  }
}
