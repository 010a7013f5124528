package io.renderrelay.worker.job.intake;

import io.renderrelay.serde.UnknownRecordTypeException;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.job.state.JobCommand;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes a command record's Confluent-framed Avro value, sorting every failure once: a registry
 * that cannot be reached is retried later, anything wrong with the bytes is dead-lettered.
 */
public final class CommandDecoder {

  private final Deserializer<Object> deserializer;
  private final Predicate<Throwable> transientFailure;
  private final Predicate<Throwable> unknownSchema;

  public CommandDecoder(
      Deserializer<Object> deserializer,
      Predicate<Throwable> transientFailure,
      Predicate<Throwable> unknownSchema) {
    this.deserializer = deserializer;
    this.transientFailure = transientFailure;
    this.unknownSchema = unknownSchema;
  }

  public Decoded decode(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return new Decoded.Bad(DeadLetterReason.NULL_VALUE, "the command record has no value", null);
    }
    Object value;
    try {
      value = deserializer.deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      if (transientFailure.test(e)) {
        return new Decoded.RetryLater(e);
      }
      DeadLetterReason reason =
          unknownSchema.test(e)
              ? DeadLetterReason.UNKNOWN_SCHEMA
              : e instanceof UnknownRecordTypeException
                  ? DeadLetterReason.WRONG_RECORD_TYPE
                  : DeadLetterReason.UNDECODABLE;
      return new Decoded.Bad(reason, "cannot decode the command: " + e.getMessage(), e);
    }
    Optional<JobCommand> command = JobCommand.from(value);
    if (command.isPresent()) {
      return new Decoded.Ok(command.get());
    }
    String type = value == null ? "null" : value.getClass().getName();
    return new Decoded.Bad(
        DeadLetterReason.WRONG_RECORD_TYPE,
        "expected RestyleCommand or ActOneCommand, got " + type,
        null);
  }

  /** The outcome of decoding. */
  public sealed interface Decoded {
    /** A command. */
    record Ok(JobCommand command) implements Decoded {}

    /** Bytes that will never decode: dead-letter them. */
    record Bad(DeadLetterReason reason, String detail, Throwable error) implements Decoded {}

    /** The registry could not be reached: try again later, never dead-letter. */
    record RetryLater(Throwable error) implements Decoded {}
  }
}
