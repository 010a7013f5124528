package io.renderrelay.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Root of every error raised by the Confluent wire-format serde. All subtypes are unchecked.
 *
 * <p>{@link RegistryUnavailableException} is the only retryable one: the registry could not be
 * reached, so the same record may succeed later. Every other subtype describes a deterministic
 * problem with the data or the schema.
 */
public abstract sealed class SerdeException extends SerializationException
    permits InvalidMagicByteException,
        UnknownSchemaIdException,
        MalformedAvroException,
        RegistryUnavailableException,
        SchemaRegistrationException,
        UnknownRecordTypeException {

  SerdeException(String message) {
    super(message);
  }

  SerdeException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when retrying the same operation later may succeed. */
  public boolean isRetryable() {
    return false;
  }
}
