package io.renderrelay.devstack.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * The bytes the simulator serves for one output: a function of (taskId, kind, size) only, written
 * in 64 KiB pieces so that any size streams in constant memory.
 *
 * <ul>
 *   <li>video: an ISO BMFF file: a 32-byte {@code ftyp} box (major brand {@code isom}) followed by
 *       one {@code mdat} box (64-bit size when needed) of deterministic noise;
 *   <li>poster, last frame: a real 16x9 RGB PNG (stored deflate, so byte-exact everywhere), padded
 *       to the size with private ancillary {@code rrPd} chunks before {@code IEND}.
 * </ul>
 */
public final class OutputContent {
  static final int PIECE = 64 * 1024;
  static final int MP4_MIN = 48;
  private static final int PNG_W = 16;
  private static final int PNG_H = 9;
  private static final int PNG_RAW = PNG_H * (1 + PNG_W * 3);
  private static final int PNG_IDAT = 2 + 5 + PNG_RAW + 4;

  /** Signature + IHDR + IDAT + IEND. */
  static final int PNG_MIN = 8 + 25 + (12 + PNG_IDAT) + 12;

  private static final int MAX_PAD_CHUNK = 1 << 30;

  private OutputContent() {}

  /** The exact byte length served for a configured size (raised to the format's minimum). */
  public static long length(OutputKind kind, long configured) {
    if (kind == OutputKind.VIDEO) {
      return Math.max(configured, MP4_MIN);
    }
    long gap = configured - PNG_MIN;
    if (gap <= 0) {
      return PNG_MIN;
    }
    return gap < 12 ? PNG_MIN + 12 : configured;
  }

  /** Writes the content of (taskId, kind) at the configured size to {@code out}. */
  public static void write(String taskId, OutputKind kind, long configured, OutputStream out)
      throws IOException {
    Noise noise = new Noise(taskId + "\n" + kind.name());
    long length = length(kind, configured);
    if (kind == OutputKind.VIDEO) {
      writeMp4(noise, length, out);
    } else {
      writePng(noise, length, out);
    }
  }

  /** Hex SHA-256 of the content of (taskId, kind) at the configured size. */
  public static String sha256(String taskId, OutputKind kind, long configured) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), md)) {
        write(taskId, kind, configured, out);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException("hashing generated content failed", e);
    }
  }

  private static void writeMp4(Noise noise, long length, OutputStream out) throws IOException {
    byte[] ftyp = new byte[32];
    putInt(ftyp, 0, 32);
    ascii(ftyp, 4, "ftypisom");
    putInt(ftyp, 12, 0x200);
    ascii(ftyp, 16, "isomiso2avc1mp41");
    out.write(ftyp);
    long box = length - 32;
    if (box <= 0xFFFFFFFFL) {
      byte[] head = new byte[8];
      putInt(head, 0, (int) box);
      ascii(head, 4, "mdat");
      out.write(head);
      writeNoise(noise, box - 8, out, null);
    } else {
      byte[] head = new byte[16];
      putInt(head, 0, 1);
      ascii(head, 4, "mdat");
      putInt(head, 8, (int) (box >>> 32));
      putInt(head, 12, (int) box);
      out.write(head);
      writeNoise(noise, box - 16, out, null);
    }
  }

  private static void writePng(Noise noise, long length, OutputStream out) throws IOException {
    byte[] seed = new byte[3];
    noise.fill(seed, 3);
    out.write(new byte[] {(byte) 137, 'P', 'N', 'G', '\r', '\n', 26, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, PNG_W);
    putInt(ihdr, 4, PNG_H);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // RGB
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", zlibStored(pixels(seed)));
    long gap = length - PNG_MIN;
    while (gap > 0) {
      long data = gap - 12;
      if (data > MAX_PAD_CHUNK) {
        data = MAX_PAD_CHUNK;
        if (gap - 12 - data < 12) {
          data -= 12;
        }
      }
      writePadChunk(noise, data, out);
      gap -= 12 + data;
    }
    chunk(out, "IEND", new byte[0]);
  }

  private static byte[] pixels(byte[] seed) {
    byte[] raw = new byte[PNG_RAW];
    int i = 0;
    for (int y = 0; y < PNG_H; y++) {
      raw[i++] = 0; // filter: none
      for (int x = 0; x < PNG_W; x++) {
        raw[i++] = (byte) (seed[0] + x * 15);
        raw[i++] = (byte) (seed[1] + y * 28);
        raw[i++] = (byte) (seed[2] ^ (x * y));
      }
    }
    return raw;
  }

  private static byte[] zlibStored(byte[] raw) {
    byte[] z = new byte[PNG_IDAT];
    z[0] = 0x78;
    z[1] = 0x01;
    z[2] = 0x01; // final stored block
    z[3] = (byte) raw.length;
    z[4] = (byte) (raw.length >>> 8);
    z[5] = (byte) ~raw.length;
    z[6] = (byte) (~raw.length >>> 8);
    System.arraycopy(raw, 0, z, 7, raw.length);
    long a = 1;
    long b = 0;
    for (byte v : raw) {
      a = (a + (v & 0xff)) % 65521;
      b = (b + a) % 65521;
    }
    putInt(z, 7 + raw.length, (int) ((b << 16) | a));
    return z;
  }

  private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
    byte[] head = new byte[8];
    putInt(head, 0, data.length);
    ascii(head, 4, type);
    CRC32 crc = new CRC32();
    crc.update(head, 4, 4);
    crc.update(data);
    out.write(head);
    out.write(data);
    byte[] tail = new byte[4];
    putInt(tail, 0, (int) crc.getValue());
    out.write(tail);
  }

  private static void writePadChunk(Noise noise, long data, OutputStream out) throws IOException {
    byte[] head = new byte[8];
    putInt(head, 0, (int) data);
    ascii(head, 4, "rrPd");
    CRC32 crc = new CRC32();
    crc.update(head, 4, 4);
    out.write(head);
    writeNoise(noise, data, out, crc);
    byte[] tail = new byte[4];
    putInt(tail, 0, (int) crc.getValue());
    out.write(tail);
  }

  private static void writeNoise(Noise noise, long count, OutputStream out, CRC32 crc)
      throws IOException {
    byte[] buf = new byte[(int) Math.min(PIECE, Math.max(count, 1))];
    long left = count;
    while (left > 0) {
      int n = (int) Math.min(buf.length, left);
      noise.fill(buf, n);
      if (crc != null) {
        crc.update(buf, 0, n);
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static void ascii(byte[] b, int at, String s) {
    byte[] src = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(src, 0, b, at, src.length);
  }
}
