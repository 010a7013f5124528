package io.renderrelay.devstack.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The served bytes are a function of the label only, whatever the fill's lengths. */
class NoiseTest {

  /** xorshift64* one byte at a time, lowest byte of each value first: the stream's definition. */
  private static byte[] byteByByte(String label, int len) {
    byte[] d = Noise.sha256(label.getBytes(StandardCharsets.UTF_8));
    long s = 0;
    for (int i = 0; i < 8; i++) {
      s = (s << 8) | (d[i] & 0xff);
    }
    long state = s == 0 ? 0x9E3779B97F4A7C15L : s;
    byte[] out = new byte[len];
    int i = 0;
    while (i < len) {
      long x = state;
      x ^= x >>> 12;
      x ^= x << 25;
      x ^= x >>> 27;
      state = x;
      long v = x * 0x2545F4914F6CDD1DL;
      for (int b = 0; b < 8 && i < len; b++, i++) {
        out[i] = (byte) v;
        v >>>= 8;
      }
    }
    return out;
  }

  @Test
  void everyLengthGivesTheBytesOfTheDefinition() {
    for (int len : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 1000, 65_536, 65_541}) {
      byte[] buf = new byte[len + 3];
      new Noise("task-a\nVIDEO").fill(buf, len);
      byte[] expected = byteByByte("task-a\nVIDEO", len);
      for (int i = 0; i < len; i++) {
        assertThat(buf[i]).as("byte %d of %d", i, len).isEqualTo(expected[i]);
      }
      assertThat(buf[len]).as("nothing past len").isZero();
    }
  }

  @Test
  void oneStreamContinuesAcrossFills() {
    Noise noise = new Noise("task-b\nPOSTER");
    byte[] first = new byte[16];
    byte[] second = new byte[16];
    noise.fill(first, 16);
    noise.fill(second, 16);
    byte[] whole = byteByByte("task-b\nPOSTER", 32);
    for (int i = 0; i < 16; i++) {
      assertThat(first[i]).isEqualTo(whole[i]);
      assertThat(second[i]).isEqualTo(whole[16 + i]);
    }
  }
}
