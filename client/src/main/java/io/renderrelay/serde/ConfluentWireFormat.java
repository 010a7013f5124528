package io.renderrelay.serde;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0}, bytes 1-4 the schema id as a
 * big-endian int, then the Avro binary encoding of the record.
 */
public final class ConfluentWireFormat {

  /** The only magic byte defined by the format. */
  public static final byte MAGIC_BYTE = 0;

  /** Magic byte plus schema id. */
  public static final int HEADER_SIZE = 5;

  private ConfluentWireFormat() {}

  /**
   * Returns the schema id of a wire-format payload.
   *
   * @throws InvalidMagicByteException when the payload is shorter than the header or does not start
   *     with the magic byte
   */
  public static int schemaId(String topic, byte[] payload) {
    if (payload.length < HEADER_SIZE || payload[0] != MAGIC_BYTE) {
      throw new InvalidMagicByteException(topic, payload);
    }
    return ((payload[1] & 0xff) << 24)
        | ((payload[2] & 0xff) << 16)
        | ((payload[3] & 0xff) << 8)
        | (payload[4] & 0xff);
  }

  /** Writes the 5-byte header into {@code target} at offset 0. */
  static void writeHeader(byte[] target, int schemaId) {
    target[0] = MAGIC_BYTE;
    target[1] = (byte) (schemaId >>> 24);
    target[2] = (byte) (schemaId >>> 16);
    target[3] = (byte) (schemaId >>> 8);
    target[4] = (byte) schemaId;
  }
}
