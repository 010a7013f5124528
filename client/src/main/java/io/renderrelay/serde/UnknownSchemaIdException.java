package io.renderrelay.serde;

/** The registry does not know the schema id (HTTP 404, error_code 40403). */
public final class UnknownSchemaIdException extends SerdeException {

  private final int schemaId;

  public UnknownSchemaIdException(int schemaId, String registryMessage) {
    super(
        "Schema id "
            + schemaId
            + " is unknown to the schema registry"
            + (registryMessage == null ? "" : ": " + registryMessage));
    this.schemaId = schemaId;
  }

  /** The id that was not found. */
  public int schemaId() {
    return schemaId;
  }
}
