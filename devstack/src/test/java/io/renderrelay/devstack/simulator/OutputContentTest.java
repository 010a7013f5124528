package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Deterministic, well-formed, exactly sized generated outputs. */
class OutputContentTest {

  private static byte[] bytes(String taskId, OutputKind kind, long size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputContent.write(taskId, kind, size, out);
    return out.toByteArray();
  }

  private static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void sameInputsSameBytesAndChecksum() throws Exception {
    byte[] a = bytes("task-a", OutputKind.VIDEO, 100_000);
    assertThat(bytes("task-a", OutputKind.VIDEO, 100_000)).isEqualTo(a);
    assertThat(bytes("task-b", OutputKind.VIDEO, 100_000)).isNotEqualTo(a);
    assertThat(OutputContent.sha256("task-a", OutputKind.VIDEO, 100_000)).isEqualTo(sha(a));
    assertThat(bytes("task-a", OutputKind.POSTER, 5000))
        .isNotEqualTo(bytes("task-a", OutputKind.LAST_FRAME, 5000));
  }

  @Test
  void videoIsAnIsoBmffWithFtypIsomAndAnMdatFillingTheRest() throws Exception {
    byte[] v = bytes("t", OutputKind.VIDEO, 256 * 1024);
    assertThat(v).hasSize(256 * 1024);
    ByteBuffer b = ByteBuffer.wrap(v);
    assertThat(b.getInt(0)).isEqualTo(32);
    assertThat(new String(v, 4, 8, StandardCharsets.US_ASCII)).isEqualTo("ftypisom");
    assertThat(b.getInt(32)).isEqualTo(256 * 1024 - 32);
    assertThat(new String(v, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("mdat");
    assertThat(bytes("t", OutputKind.VIDEO, 0)).hasSize(OutputContent.MP4_MIN);
  }

  @Test
  void videoOver4GiBUsesA64BitMdatSize() {
    long size = 5L << 30;
    HeadCapture head = new HeadCapture(48);
    try {
      OutputContent.write("big", OutputKind.VIDEO, size, head);
    } catch (IOException expected) {
      // HeadCapture stops the stream after the headers
    }
    ByteBuffer b = ByteBuffer.wrap(head.captured);
    assertThat(b.getInt(32)).isEqualTo(1);
    assertThat(new String(head.captured, 36, 4, StandardCharsets.US_ASCII)).isEqualTo("mdat");
    assertThat(b.getLong(40)).isEqualTo(size - 32);
    assertThat(OutputContent.length(OutputKind.VIDEO, size)).isEqualTo(size);
  }

  @Test
  void pngsAreRealImagesAtMinimumAndPaddedSizes() throws Exception {
    byte[] small = bytes("t", OutputKind.POSTER, 0);
    assertThat(small).hasSize(OutputContent.PNG_MIN);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(small));
    assertThat(img.getWidth()).isEqualTo(16);
    assertThat(img.getHeight()).isEqualTo(9);

    byte[] padded = bytes("t", OutputKind.LAST_FRAME, 16 * 1024);
    assertThat(padded).hasSize(16 * 1024);
    assertThat(ImageIO.read(new ByteArrayInputStream(padded)).getWidth()).isEqualTo(16);
    assertThat(Arrays.copyOfRange(padded, padded.length - 8, padded.length - 4))
        .isEqualTo("IEND".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void pngLengthsNeverLandInsideAChunkHeader() throws Exception {
    for (long want = OutputContent.PNG_MIN - 3; want < OutputContent.PNG_MIN + 30; want++) {
      long len = OutputContent.length(OutputKind.POSTER, want);
      assertThat(len).isGreaterThanOrEqualTo(Math.max(want, OutputContent.PNG_MIN));
      assertThat(bytes("t", OutputKind.POSTER, want)).hasSize((int) len);
      assertThat(ImageIO.read(new ByteArrayInputStream(bytes("t", OutputKind.POSTER, want))))
          .isNotNull();
    }
  }

  /** Captures the first bytes, then fails the stream. */
  private static final class HeadCapture extends OutputStream {
    final byte[] captured;
    int n;

    HeadCapture(int size) {
      captured = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int take = Math.min(len, captured.length - n);
      System.arraycopy(b, off, captured, n, take);
      n += take;
      if (n == captured.length) {
        throw new IOException("enough");
      }
    }
  }
}
