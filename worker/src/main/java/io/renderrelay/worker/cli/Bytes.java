package io.renderrelay.worker.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/** Shows bytes to a person: as text when they are printable UTF-8, else as hex. */
final class Bytes {

  private Bytes() {}

  /** The bytes as UTF-8 text, when they decode and hold no control characters but tab/newline. */
  static Optional<String> text(byte[] value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(value))
              .toString();
      boolean printable =
          s.chars()
              .allMatch(c -> c == '\t' || c == '\n' || c == '\r' || !Character.isISOControl(c));
      return printable ? Optional.of(s) : Optional.empty();
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /** Text when printable, else {@code hex:<hex>}; {@code null} for null. */
  static String display(byte[] value) {
    if (value == null) {
      return null;
    }
    return text(value).orElseGet(() -> "hex:" + HexFormat.of().formatHex(value));
  }

  static String hex(byte[] value, int max) {
    if (value.length <= max) {
      return HexFormat.of().formatHex(value);
    }
    return HexFormat.of().formatHex(value, 0, max) + "... (" + value.length + " bytes)";
  }

  static String truncate(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    return s.substring(0, Math.max(0, max - 3)) + "...";
  }
}
