package io.renderrelay.worker.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StreamDigestsTest {

  @Test
  void crc32cIsTheBase64OfTheBigEndianValue() {
    StreamDigests d = StreamDigests.forVerification(5);
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    d.update(check, 0, check.length);
    // CRC-32C check value 0xE3069283.
    assertThat(d.crc32cBase64())
        .isEqualTo(Checksums.base64(new byte[] {(byte) 0xE3, 0x06, (byte) 0x92, (byte) 0x83}));
  }

  @Test
  void multipartEtagIsTheMd5OfPartMd5sWhateverTheFeedSizes() {
    byte[] data = new byte[23];
    Arrays.fill(data, (byte) 7);
    data[11] = 1;
    StreamDigests d = StreamDigests.forVerification(10);
    d.update(data, 0, 3);
    d.update(data, 3, 15);
    d.update(data, 18, 5);

    byte[] parts = new byte[48];
    System.arraycopy(Checksums.md5().digest(Arrays.copyOfRange(data, 0, 10)), 0, parts, 0, 16);
    System.arraycopy(Checksums.md5().digest(Arrays.copyOfRange(data, 10, 20)), 0, parts, 16, 16);
    System.arraycopy(Checksums.md5().digest(Arrays.copyOfRange(data, 20, 23)), 0, parts, 32, 16);
    assertThat(d.multipartEtag()).isEqualTo(Checksums.hex(Checksums.md5().digest(parts)) + "-3");
    assertThat(d.md5Hex()).isEqualTo(Checksums.hex(Checksums.md5().digest(data)));
    assertThat(d.sha256Hex()).isEqualTo(Checksums.hex(Checksums.sha256().digest(data)));
    assertThat(d.total()).isEqualTo(23);
  }

  @Test
  void anUploadComputesOnlyTheSha256() {
    StreamDigests d = StreamDigests.forUpload();
    d.update(new byte[4], 0, 4);
    assertThat(d.sha256Hex()).hasSize(64);
    assertThatThrownBy(d::md5Hex).isInstanceOf(IllegalStateException.class);
  }
}
