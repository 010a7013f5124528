package io.renderrelay.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;

/** Deterministic pseudo-random bytes of any length, generated on the fly (xorshift64). */
final class PatternBytes {
  private static final int BLOCK = 64 * 1024;

  private PatternBytes() {}

  /** Writes {@code size} bytes of the pattern for {@code seed}. */
  static void write(long seed, long size, OutputStream out) throws IOException {
    byte[] block = new byte[BLOCK];
    long state = seed * 0x9E3779B97F4A7C15L + 1;
    long left = size;
    while (left > 0) {
      state = fill(block, state);
      int n = (int) Math.min(block.length, left);
      out.write(block, 0, n);
      left -= n;
    }
  }

  static byte[] bytes(long seed, int size) {
    var out = new java.io.ByteArrayOutputStream(size);
    try {
      write(seed, size, out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  static String sha256(long seed, long size) {
    return digest(Checksums.sha256(), seed, size);
  }

  static String md5(long seed, long size) {
    return digest(Checksums.md5(), seed, size);
  }

  private static String digest(MessageDigest digest, long seed, long size) {
    try {
      write(
          seed,
          size,
          new OutputStream() {
            @Override
            public void write(int b) {
              digest.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              digest.update(b, off, len);
            }
          });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return Checksums.hex(digest.digest());
  }

  static String sha256(InputStream in) throws IOException {
    MessageDigest digest = Checksums.sha256();
    byte[] buf = new byte[64 * 1024];
    for (int n; (n = in.read(buf)) > 0; ) {
      digest.update(buf, 0, n);
    }
    return Checksums.hex(digest.digest());
  }

  private static long fill(byte[] block, long state) {
    long s = state;
    for (int i = 0; i < block.length; i += 8) {
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      for (int j = 0; j < 8; j++) {
        block[i + j] = (byte) (s >>> (8 * j));
      }
    }
    return s;
  }
}
