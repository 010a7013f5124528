package io.renderrelay.worker.preflight;

/**
 * Reads an image's size from its header: PNG ({@code IHDR}), JPEG (the first SOF frame header,
 * after any APPn/EXIF segments) and WebP ({@code VP8 }, {@code VP8L}, {@code VP8X}). Never throws
 * anything but {@link HeaderException}; EXIF orientation is not applied (the stored size counts).
 */
final class ImageHeaders {

  private ImageHeaders() {}

  /**
   * The size in {@code bytes}, the start of the file.
   *
   * @param wholeFile true when {@code bytes} is the whole file, so running out of bytes means the
   *     file is cut short (conclusive), not that more should be read (undecided)
   */
  public static Dimensions read(byte[] bytes, boolean wholeFile) throws HeaderException {
    Reader r = new Reader(bytes, wholeFile);
    return switch (MediaFormat.sniff(bytes)) {
      case PNG -> png(r);
      case JPEG -> jpeg(r);
      case WEBP -> webp(r);
      default ->
          throw bytes.length < 12 && !wholeFile
              ? HeaderException.undecided("too few bytes to tell the image format")
              : HeaderException.corrupt("not a PNG, JPEG or WebP image");
    };
  }

  private static Dimensions png(Reader r) throws HeaderException {
    if (!"IHDR".equals(r.ascii(12, 4))) {
      throw HeaderException.corrupt("PNG without IHDR as its first chunk");
    }
    return r.size("PNG", r.u32be(16), r.u32be(20));
  }

  private static Dimensions jpeg(Reader r) throws HeaderException {
    int pos = 2;
    for (int segments = 0; segments < 10_000; segments++) {
      if (r.u8(pos) != 0xFF) {
        throw HeaderException.corrupt("JPEG marker expected at byte " + pos);
      }
      while (r.u8(pos) == 0xFF) {
        pos++; // fill bytes
      }
      int marker = r.u8(pos);
      pos++;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (marker == 0xD9 || marker == 0xDA || marker == 0x00) {
        throw HeaderException.corrupt("JPEG without a frame header before its image data");
      }
      int length = r.u16be(pos);
      if (length < 2) {
        throw HeaderException.corrupt("JPEG segment with length " + length + " at byte " + pos);
      }
      if (isStartOfFrame(marker)) {
        if (r.u16be(pos + 3) == 0) { // legal: the height comes later, in a DNL segment
          throw HeaderException.undecided("JPEG states its height after the image data (DNL)");
        }
        return r.size("JPEG", r.u16be(pos + 5), r.u16be(pos + 3));
      }
      pos += length;
    }
    throw HeaderException.corrupt("JPEG with too many segments before its frame header");
  }

  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0
        && marker <= 0xCF
        && marker != 0xC4 // DHT
        && marker != 0xC8 // JPG extension
        && marker != 0xCC; // DAC
  }

  private static Dimensions webp(Reader r) throws HeaderException {
    String chunk = r.ascii(12, 4);
    return switch (chunk) {
      case "VP8 " -> {
        if (r.u8(23) != 0x9D || r.u8(24) != 0x01 || r.u8(25) != 0x2A) {
          throw HeaderException.corrupt("WebP VP8 frame without its start code");
        }
        yield r.size("WebP", r.u16le(26) & 0x3FFF, r.u16le(28) & 0x3FFF);
      }
      case "VP8L" -> {
        if (r.u8(20) != 0x2F) {
          throw HeaderException.corrupt("WebP VP8L without its signature byte");
        }
        long bits = r.u32le(21);
        yield r.size("WebP", (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
      }
      case "VP8X" -> r.size("WebP", r.u24le(24) + 1, r.u24le(27) + 1);
      default -> throw HeaderException.corrupt("WebP with an unknown first chunk '" + chunk + "'");
    };
  }

  /** Bounds-checked big- and little-endian reads over the bytes at hand. */
  private record Reader(byte[] b, boolean wholeFile) {

    int u8(int at) throws HeaderException {
      need(at, 1);
      return b[at] & 0xFF;
    }

    int u16be(int at) throws HeaderException {
      need(at, 2);
      return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    int u16le(int at) throws HeaderException {
      need(at, 2);
      return (b[at + 1] & 0xFF) << 8 | (b[at] & 0xFF);
    }

    long u24le(int at) throws HeaderException {
      need(at, 3);
      return (long) (b[at + 2] & 0xFF) << 16 | (b[at + 1] & 0xFF) << 8 | (b[at] & 0xFF);
    }

    long u32be(int at) throws HeaderException {
      need(at, 4);
      return (long) (b[at] & 0xFF) << 24
          | (b[at + 1] & 0xFF) << 16
          | (b[at + 2] & 0xFF) << 8
          | (b[at + 3] & 0xFF);
    }

    long u32le(int at) throws HeaderException {
      need(at, 4);
      return (long) (b[at + 3] & 0xFF) << 24
          | (b[at + 2] & 0xFF) << 16
          | (b[at + 1] & 0xFF) << 8
          | (b[at] & 0xFF);
    }

    String ascii(int at, int length) throws HeaderException {
      need(at, length);
      return MediaFormat.ascii(b, at, length);
    }

    Dimensions size(String format, long width, long height) throws HeaderException {
      if (width <= 0 || height <= 0 || width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
        throw HeaderException.corrupt(
            format + " header states an impossible size " + width + "x" + height);
      }
      return new Dimensions(width, height);
    }

    private void need(int at, int length) throws HeaderException {
      if (at < 0 || at > b.length - length) {
        throw wholeFile
            ? HeaderException.corrupt("image ends at byte " + b.length + " before its header does")
            : HeaderException.undecided("image header not within the first " + b.length + " bytes");
      }
    }
  }
}
