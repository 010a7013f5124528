package io.renderrelay.worker.preflight;

import io.renderrelay.worker.storage.CopyException;
import java.nio.ByteBuffer;

/**
 * Reads the displayed size of an MP4 or QuickTime file's video track: walks the top-level boxes to
 * {@code moov} (reading only box headers, so a {@code moov} after a large {@code mdat} costs one
 * small ranged read per box), then {@code moov/trak/tkhd}. The track is the first one whose {@code
 * mdia/hdlr} says {@code vide} (else the first with a size); a 90 or 270 degree rotation in the
 * {@code tkhd} matrix swaps width and height, as players show it. Never throws anything but {@link
 * HeaderException} and the source's {@link CopyException}.
 */
final class Mp4Headers {

  /** Top-level boxes walked before giving up. */
  static final int MAX_TOP_LEVEL_BOXES = 64;

  private static final int MAX_CHILDREN = 10_000;

  private Mp4Headers() {}

  /**
   * The displayed size of the video track.
   *
   * @param maxMoovBytes largest {@code moov} box read (undecided beyond)
   */
  public static Dimensions read(ByteSource source, int maxMoovBytes)
      throws HeaderException, CopyException {
    long offset = 0;
    for (int i = 0; i < MAX_TOP_LEVEL_BOXES; i++) {
      byte[] h = source.read(offset, 16);
      if (h.length == 0) {
        throw HeaderException.corrupt("MP4 without a moov box (ends at byte " + offset + ")");
      }
      if (h.length < 8) {
        throw HeaderException.corrupt("MP4 box header cut short at byte " + offset);
      }
      ByteBuffer b = ByteBuffer.wrap(h);
      long size = Integer.toUnsignedLong(b.getInt());
      String type = MediaFormat.ascii(h, 4, 4);
      int header = 8;
      if (size == 1) {
        if (h.length < 16) {
          throw HeaderException.corrupt("MP4 large box header cut short at byte " + offset);
        }
        size = b.getLong(8);
        header = 16;
      }
      if (!printable(type)) {
        throw HeaderException.corrupt("not an MP4/QuickTime box at byte " + offset);
      }
      boolean toEnd = size == 0;
      if (!toEnd && size < header) {
        throw HeaderException.corrupt("MP4 box '" + type + "' with size " + size);
      }
      if ("moov".equals(type)) {
        return moov(source, offset + header, toEnd ? -1 : size - header, maxMoovBytes);
      }
      if (toEnd) {
        throw HeaderException.corrupt("MP4 whose last box '" + type + "' comes before any moov");
      }
      offset += size;
      if (offset < 0) {
        throw HeaderException.corrupt("MP4 box sizes overflow");
      }
    }
    throw HeaderException.undecided(
        "no moov box within the first " + MAX_TOP_LEVEL_BOXES + " top-level boxes");
  }

  private static Dimensions moov(ByteSource source, long start, long length, int max)
      throws HeaderException, CopyException {
    if (length > max) {
      throw HeaderException.undecided(
          "moov box of " + length + " bytes is larger than the " + max + " bytes read");
    }
    int want = length < 0 ? max : (int) length;
    byte[] moov = source.read(start, want);
    if (length >= 0 && moov.length < length) {
      throw HeaderException.corrupt("MP4 ends inside its moov box");
    }
    if (length < 0 && moov.length == max) {
      throw HeaderException.undecided("moov box larger than the " + max + " bytes read");
    }
    return videoTrack(ByteBuffer.wrap(moov));
  }

  private static Dimensions videoTrack(ByteBuffer moov) throws HeaderException {
    Dimensions any = null;
    for (Box trak : children(moov, "trak")) {
      Box tkhd = first(trak.body(), "tkhd");
      if (tkhd == null) {
        continue;
      }
      Dimensions d = tkhdSize(tkhd.body());
      if (d == null) {
        continue;
      }
      Box mdia = first(trak.body(), "mdia");
      Box hdlr = mdia == null ? null : first(mdia.body(), "hdlr");
      if (hdlr != null && hdlr.body().remaining() >= 12) {
        if ("vide".equals(fourCc(hdlr.body(), 8))) {
          return d;
        }
      }
      any = any == null ? d : any;
    }
    if (any == null) {
      throw HeaderException.corrupt("MP4 without a video track with a size (moov/trak/tkhd)");
    }
    return any;
  }

  /** The displayed size in a tkhd body; null for a track without a size (audio). */
  private static Dimensions tkhdSize(ByteBuffer t) throws HeaderException {
    if (t.remaining() < 1) {
      throw HeaderException.corrupt("empty tkhd box");
    }
    int version = t.get(t.position()) & 0xFF;
    int matrix = version == 1 ? 52 : 40;
    if (t.remaining() < matrix + 44) {
      throw HeaderException.corrupt("tkhd box cut short (" + t.remaining() + " bytes)");
    }
    int base = t.position();
    long width = Integer.toUnsignedLong(t.getInt(base + matrix + 36)) >>> 16;
    long height = Integer.toUnsignedLong(t.getInt(base + matrix + 40)) >>> 16;
    if (width == 0 || height == 0) {
      return null;
    }
    int a = t.getInt(base + matrix);
    int bb = t.getInt(base + matrix + 4);
    boolean quarterTurn = a == 0 && bb != 0;
    return quarterTurn ? new Dimensions(height, width) : new Dimensions(width, height);
  }

  private record Box(String type, ByteBuffer body) {}

  private static Box first(ByteBuffer parent, String type) throws HeaderException {
    var found = children(parent, type);
    return found.isEmpty() ? null : found.get(0);
  }

  /** The child boxes of {@code type} in a container's body, each checked against its bounds. */
  private static java.util.List<Box> children(ByteBuffer parent, String type)
      throws HeaderException {
    java.util.List<Box> out = new java.util.ArrayList<>();
    int pos = parent.position();
    int end = parent.limit();
    for (int i = 0; pos < end && i < MAX_CHILDREN; i++) {
      if (end - pos < 8) {
        throw HeaderException.corrupt("MP4 child box header cut short");
      }
      long size = Integer.toUnsignedLong(parent.getInt(pos));
      String t = fourCc(parent, pos + 4 - parent.position());
      int header = 8;
      if (size == 1) {
        if (end - pos < 16) {
          throw HeaderException.corrupt("MP4 child large box header cut short");
        }
        size = parent.getLong(pos + 8);
        header = 16;
      } else if (size == 0) {
        size = end - pos;
      }
      if (size < header || size > end - pos) {
        throw HeaderException.corrupt("MP4 box '" + t + "' overruns its parent");
      }
      if (t.equals(type)) {
        out.add(new Box(t, parent.duplicate().position(pos + header).limit(pos + (int) size)));
      }
      pos += (int) size;
    }
    return out;
  }

  private static String fourCc(ByteBuffer b, int relative) {
    byte[] four = new byte[4];
    b.get(b.position() + relative, four);
    return MediaFormat.ascii(four, 0, 4);
  }

  private static boolean printable(String type) {
    return type.chars().allMatch(c -> c >= 0x20 && c < 0x7F);
  }
}
