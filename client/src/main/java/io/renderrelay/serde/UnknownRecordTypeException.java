package io.renderrelay.serde;

/**
 * A specific reader got a record whose writer schema names a type with no generated Avro class on
 * the classpath (or a class that is not a generated record): a record of a type this consumer does
 * not handle, e.g. another service's record published to the wrong topic.
 */
public final class UnknownRecordTypeException extends SerdeException {

  private final int schemaId;
  private final String recordName;

  public UnknownRecordTypeException(int schemaId, String recordName, String why, Throwable cause) {
    super("Writer schema id " + schemaId + " names record type " + recordName + ", " + why, cause);
    this.schemaId = schemaId;
    this.recordName = recordName;
  }

  /** The writer schema's id. */
  public int schemaId() {
    return schemaId;
  }

  /** The writer schema's full record name. */
  public String recordName() {
    return recordName;
  }
}
