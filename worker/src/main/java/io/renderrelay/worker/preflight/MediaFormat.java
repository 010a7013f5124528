package io.renderrelay.worker.preflight;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** A file's format as its first bytes tell it (never from the URL or the declared type). */
enum MediaFormat {
  PNG(true),
  JPEG(true),
  WEBP(true),
  /** ISO BMFF: MP4 and QuickTime (an {@code ftyp}, {@code moov}, {@code mdat}... box first). */
  MP4(false),
  WEBM(false),
  /** An HTML or XML page (an error page, a login page): never a usable input. */
  MARKUP(false),
  UNKNOWN(false);

  private final boolean image;

  MediaFormat(boolean image) {
    this.image = image;
  }

  /** PNG, JPEG or WebP. */
  public boolean image() {
    return image;
  }

  /** MP4/QuickTime or WebM. */
  public boolean video() {
    return this == MP4 || this == WEBM;
  }

  /** Identifies the format from a file's first bytes (any length, even 0). */
  public static MediaFormat sniff(byte[] head) {
    if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) {
      return WEBP;
    }
    if (startsWith(head, 0, 0x1A, 0x45, 0xDF, 0xA3)) {
      return WEBM;
    }
    if (head.length >= 8 && isTopLevelBox(ascii(head, 4, 4))) {
      return MP4;
    }
    return markup(head) ? MARKUP : UNKNOWN;
  }

  private static boolean isTopLevelBox(String type) {
    return switch (type) {
      case "ftyp", "moov", "mdat", "wide", "free", "skip", "pnot" -> true;
      default -> false;
    };
  }

  private static boolean markup(byte[] head) {
    String start =
        new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1)
            .stripLeading()
            .toLowerCase(Locale.ROOT);
    return start.startsWith("<!doctype") || start.startsWith("<html") || start.startsWith("<?xml");
  }

  static String ascii(byte[] b, int offset, int length) {
    return new String(b, offset, length, StandardCharsets.ISO_8859_1);
  }

  private static boolean startsWith(byte[] b, int offset, int... expected) {
    if (b.length < offset + expected.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      if ((b[offset + i] & 0xFF) != expected[i]) {
        return false;
      }
    }
    return true;
  }
}
