package io.renderrelay.serde;

/** The payload does not start with the Confluent magic byte 0, or is shorter than 5 bytes. */
public final class InvalidMagicByteException extends SerdeException {

  private final int length;

  public InvalidMagicByteException(String topic, byte[] payload) {
    super(describe(topic, payload));
    this.length = payload.length;
  }

  /** Length of the rejected payload in bytes. */
  public int length() {
    return length;
  }

  private static String describe(String topic, byte[] payload) {
    String where = topic == null ? "" : " on topic '" + topic + "'";
    if (payload.length == 0) {
      return "Empty payload"
          + where
          + ": not in Confluent wire format (expected magic byte 0"
          + " followed by a 4-byte schema id)";
    }
    String found = String.format("0x%02x", payload[0] & 0xff);
    if (payload[0] != ConfluentWireFormat.MAGIC_BYTE) {
      return "Unknown magic byte "
          + found
          + where
          + " (payload length "
          + payload.length
          + " bytes): not in Confluent wire format, expected magic byte 0x00";
    }
    return "Payload too short"
        + where
        + ": "
        + payload.length
        + " bytes starting with magic byte "
        + found
        + ", the Confluent wire format needs at least "
        + ConfluentWireFormat.HEADER_SIZE
        + " bytes (magic byte and 4-byte schema id)";
  }
}
