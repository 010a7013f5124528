package io.renderrelay.devstack.simulator;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A deterministic byte stream (xorshift64*) seeded from a label: the same label always yields the
 * same bytes, on any JVM, so a checksum of served content can be recomputed anywhere.
 */
final class Noise {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private long state;

  Noise(String label) {
    byte[] digest = sha256(label.getBytes(StandardCharsets.UTF_8));
    long s = 0;
    for (int i = 0; i < 8; i++) {
      s = (s << 8) | (digest[i] & 0xff);
    }
    this.state = s == 0 ? 0x9E3779B97F4A7C15L : s;
  }

  /**
   * Fills {@code buf[0..len)}: each value's eight bytes lowest first, whole values written at once
   * (the simulator's CDN serves gigabytes on the cores it shares with what it serves them to).
   */
  void fill(byte[] buf, int len) {
    int i = 0;
    for (; i + 8 <= len; i += 8) {
      LONG_LE.set(buf, i, next());
    }
    while (i < len) {
      long v = next();
      for (int b = 0; b < 8 && i < len; b++, i++) {
        buf[i] = (byte) v;
        v >>>= 8;
      }
    }
  }

  private long next() {
    long x = state;
    x ^= x >>> 12;
    x ^= x << 25;
    x ^= x >>> 27;
    state = x;
    return x * 0x2545F4914F6CDD1DL;
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
