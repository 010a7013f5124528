package io.renderrelay.serde;

/**
 * The registry refused a request: 409 incompatible schema, 422 invalid schema, 401/403 auth, or
 * another 4xx. Carries the HTTP status and the registry's {@code error_code}.
 */
public final class SchemaRegistrationException extends SerdeException {

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistrationException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** HTTP status of the registry answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent {@code error_code} of the answer, or the HTTP status when the body had none. */
  public int errorCode() {
    return errorCode;
  }

  /** True for 409: the schema is incompatible with the subject's compatibility level. */
  public boolean isIncompatible() {
    return httpStatus == 409;
  }

  /** True for 401 and 403. */
  public boolean isAuthFailure() {
    return httpStatus == 401 || httpStatus == 403;
  }
}
