package io.renderrelay.devstack.registry;

/** An error answered as a Confluent error body {@code {"error_code":..,"message":..}}. */
final class RegistryException extends RuntimeException {

  private final int httpStatus;
  private final int errorCode;

  RegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  int httpStatus() {
    return httpStatus;
  }

  int errorCode() {
    return errorCode;
  }

  static RegistryException subjectNotFound(String subject) {
    return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
  }

  static RegistryException versionNotFound(String subject, String version) {
    return new RegistryException(
        404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
  }

  static RegistryException schemaNotFound(String detail) {
    return new RegistryException(404, 40403, "Schema not found: " + detail);
  }

  static RegistryException invalidSchema(String detail) {
    return new RegistryException(422, 42201, "Invalid schema: " + detail);
  }

  static RegistryException invalidVersion(String version) {
    return new RegistryException(
        422,
        42202,
        "The specified version '"
            + version
            + "' is not a valid version id. Allowed values are"
            + " between [1, 2^31-1] and the string \"latest\"");
  }

  static RegistryException invalidCompatibility(String level) {
    return new RegistryException(
        422,
        42203,
        "Invalid compatibility level '"
            + level
            + "'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE,"
            + " FULL, FULL_TRANSITIVE");
  }
}
