package io.renderrelay.worker.job.intake;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RenderFailed;
import io.renderrelay.serde.MalformedAvroException;
import io.renderrelay.serde.RegistryUnavailableException;
import io.renderrelay.serde.UnknownRecordTypeException;
import io.renderrelay.serde.UnknownSchemaIdException;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.job.intake.CommandDecoder.Decoded;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class CommandDecoderTest {

  private static final byte[] BYTES = {0, 0, 0, 0, 7, 1, 2};

  private static Decoded decode(Deserializer<Object> deserializer, byte[] value) {
    CommandDecoder decoder =
        new CommandDecoder(
            deserializer,
            e -> e instanceof RegistryUnavailableException,
            e -> e instanceof UnknownSchemaIdException);
    return decoder.decode(
        new ConsumerRecord<>("render.commands.restyle", 0, 0L, "k".getBytes(), value));
  }

  private static Deserializer<Object> throwing(RuntimeException e) {
    return (topic, data) -> {
      throw e;
    };
  }

  @Test
  void aForeignRecordTypeIsAWrongRecordType() {
    Decoded d =
        decode(
            throwing(new UnknownRecordTypeException(7, "com.example.Invoice", "no class", null)),
            BYTES);
    assertThat(d)
        .isInstanceOfSatisfying(
            Decoded.Bad.class,
            bad -> {
              assertThat(bad.reason()).isEqualTo(DeadLetterReason.WRONG_RECORD_TYPE);
              assertThat(bad.detail()).contains("com.example.Invoice");
            });
  }

  @Test
  void aKnownNonCommandRecordIsAWrongRecordType() {
    Decoded d = decode((topic, data) -> new RenderFailed(), BYTES);
    assertThat(d)
        .isInstanceOfSatisfying(
            Decoded.Bad.class,
            bad -> assertThat(bad.reason()).isEqualTo(DeadLetterReason.WRONG_RECORD_TYPE));
  }

  @Test
  void unknownIdsMalformedBytesNullsAndOutagesAreSortedOnce() {
    assertThat(decode(throwing(new UnknownSchemaIdException(7, "not found")), BYTES))
        .isInstanceOfSatisfying(
            Decoded.Bad.class,
            b -> assertThat(b.reason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA));
    assertThat(decode(throwing(new MalformedAvroException("bad", 7, null)), BYTES))
        .isInstanceOfSatisfying(
            Decoded.Bad.class, b -> assertThat(b.reason()).isEqualTo(DeadLetterReason.UNDECODABLE));
    assertThat(decode((topic, data) -> null, null))
        .isInstanceOfSatisfying(
            Decoded.Bad.class, b -> assertThat(b.reason()).isEqualTo(DeadLetterReason.NULL_VALUE));
    assertThat(decode(throwing(new RegistryUnavailableException("down", null)), BYTES))
        .isInstanceOf(Decoded.RetryLater.class);
  }
}
