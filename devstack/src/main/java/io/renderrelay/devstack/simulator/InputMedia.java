package io.renderrelay.devstack.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Input files for the pre-flight check (issue 14): images and videos whose headers state a chosen
 * size, as the formats specify them. PNG ({@code IHDR}, with CRCs), baseline JPEG (an {@code APP1}
 * segment of any length before the {@code SOF0} frame header, as EXIF puts it), WebP in its three
 * forms ({@code VP8 }, {@code VP8L}, {@code VP8X}) and MP4 ({@code ftyp}, an {@code mdat} of any
 * length, and {@code moov} with an audio track and a video track whose {@code tkhd} may carry a
 * quarter-turn matrix; {@code moov} before or after {@code mdat}). The pixel data is not an image:
 * the headers are what a checker reads.
 */
public final class InputMedia {

  private InputMedia() {}

  /** Where the {@code moov} box goes. */
  public enum MoovAt {
    START,
    END
  }

  /** A PNG stating {@code width x height}. */
  public static byte[] png(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
    ihdr.put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    pngChunk(out, "IHDR", ihdr.array());
    pngChunk(out, "IDAT", new byte[] {0x78, 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    pngChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** A baseline JPEG stating {@code width x height}, its frame header after {@code app1} bytes. */
  public static byte[] jpeg(int width, int height, int app1) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xD8});
    byte[] jfif = {'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    segment(out, 0xE0, jfif);
    for (int left = app1; left > 0; left -= 65_533) {
      segment(out, 0xE1, new byte[Math.min(left, 65_533)]);
    }
    ByteBuffer sof = ByteBuffer.allocate(15).put((byte) 8).putShort((short) height);
    sof.putShort((short) width).put((byte) 3);
    for (int c = 1; c <= 3; c++) {
      sof.put((byte) c).put((byte) 0x11).put((byte) 0);
    }
    segment(out, 0xC0, sof.array());
    segment(out, 0xDA, new byte[] {1, 1, 0, 0, 0x3F, 0});
    out.writeBytes(new byte[] {0, 0, (byte) 0xFF, (byte) 0xD9});
    return out.toByteArray();
  }

  /** A WebP stating {@code width x height} (1..16383) in a {@code VP8 } (lossy) chunk. */
  public static byte[] webpLossy(int width, int height) {
    ByteBuffer vp8 = le(10).put(new byte[] {0x10, 0x02, 0x00}); // frame tag: key frame
    vp8.put((byte) 0x9D).put((byte) 0x01).put((byte) 0x2A);
    vp8.putShort((short) width).putShort((short) height);
    return riff("VP8 ", vp8.array());
  }

  /** A WebP stating {@code width x height} (1..16384) in a {@code VP8L} (lossless) chunk. */
  public static byte[] webpLossless(int width, int height) {
    int bits = (width - 1) | (height - 1) << 14;
    return riff("VP8L", le(5).put((byte) 0x2F).putInt(bits).array());
  }

  /** A WebP stating {@code width x height} (1..2^24) in a {@code VP8X} (extended) chunk. */
  public static byte[] webpExtended(int width, int height) {
    ByteBuffer x = le(10).putInt(0);
    x.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
    x.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
    return riff("VP8X", x.array());
  }

  /**
   * An MP4 whose video track shows {@code width x height}.
   *
   * @param quarterTurn store the size turned by 90 degrees with a rotation matrix (as phones do)
   * @param mdatBytes length of the media data
   * @param version1 write 64-bit {@code tkhd} times (version 1)
   */
  public static byte[] mp4(
      int width, int height, boolean quarterTurn, MoovAt moovAt, int mdatBytes, boolean version1) {
    byte[] ftyp = box("ftyp", ascii("isom"), new byte[4], ascii("isomiso2avc1mp41"));
    byte[] mdat = box("mdat", new byte[mdatBytes]);
    byte[] audio = trak(tkhd(0, 0, false, version1), "soun");
    int w = quarterTurn ? height : width;
    int h = quarterTurn ? width : height;
    byte[] video = trak(tkhd(w, h, quarterTurn, version1), "vide");
    byte[] moov = box("moov", box("mvhd", new byte[100]), audio, video);
    return moovAt == MoovAt.START ? concat(ftyp, moov, mdat) : concat(ftyp, mdat, moov);
  }

  private static byte[] trak(byte[] tkhd, String handler) {
    byte[] hdlr = box("hdlr", new byte[8], ascii(handler), new byte[13]);
    return box("trak", tkhd, box("mdia", box("mdhd", new byte[24]), hdlr));
  }

  private static byte[] tkhd(int width, int height, boolean quarterTurn, boolean version1) {
    int times = version1 ? 32 : 20;
    ByteBuffer b = ByteBuffer.allocate(4 + times + 16 + 36 + 8);
    b.put((byte) (version1 ? 1 : 0)).put(new byte[] {0, 0, 3});
    b.position(4 + times + 16);
    int one = 0x10000;
    int[] matrix =
        quarterTurn
            ? new int[] {0, one, 0, -one, 0, 0, 0, 0, 0x40000000}
            : new int[] {one, 0, 0, 0, one, 0, 0, 0, 0x40000000};
    for (int m : matrix) {
      b.putInt(m);
    }
    b.putInt(width << 16).putInt(height << 16);
    return box("tkhd", b.array());
  }

  private static byte[] box(String type, byte[]... parts) {
    byte[] body = concat(parts);
    return concat(ByteBuffer.allocate(8).putInt(8 + body.length).put(ascii(type)).array(), body);
  }

  private static byte[] riff(String chunk, byte[] payload) {
    int padded = payload.length + (payload.length & 1);
    ByteBuffer b = le(20 + padded).put(ascii("RIFF")).putInt(12 + padded).put(ascii("WEBP"));
    b.put(ascii(chunk)).putInt(payload.length).put(payload);
    return b.array();
  }

  private static void segment(ByteArrayOutputStream out, int marker, byte[] data) {
    out.write(0xFF);
    out.write(marker);
    out.write((data.length + 2) >> 8);
    out.write((data.length + 2) & 0xFF);
    out.writeBytes(data);
  }

  private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = ascii(type);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(t);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
