package io.renderrelay.serde;

/** The Avro body does not decode with the writer schema (truncated, garbage or trailing bytes). */
public final class MalformedAvroException extends SerdeException {

  private final int schemaId;

  public MalformedAvroException(String message, int schemaId, Throwable cause) {
    super(message, cause);
    this.schemaId = schemaId;
  }

  /** The writer schema id named in the payload header. */
  public int schemaId() {
    return schemaId;
  }
}
