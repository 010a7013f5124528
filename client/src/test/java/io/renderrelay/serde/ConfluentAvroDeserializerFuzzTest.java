package io.renderrelay.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Coverage-guided fuzzing of {@link ConfluentAvroDeserializer} with arbitrary bytes against a
 * registry that knows the real schemas (ids 1..6). Allowed outcomes: a record, or a {@link
 * SerdeException} / {@link SerializationException} with a message. Anything else (an {@link
 * OutOfMemoryError} from a length prefix, a {@link NegativeArraySizeException}, a stack overflow,
 * any other runtime exception) escapes and is a finding.
 *
 * <p>{@code mvn test} replays the seeds and past findings under {@code
 * ConfluentAvroDeserializerFuzzTestInputs/}; the module's {@code fuzz} surefire execution fuzzes
 * for real for a few seconds ({@code JAZZER_FUZZ=1}), {@code scripts/chaos --fuzz} for longer.
 */
class ConfluentAvroDeserializerFuzzTest {

  private static final String TOPIC = "render.events";
  private static final List<Schema> SCHEMAS =
      List.of(
          RestyleCommand.getClassSchema(),
          ActOneCommand.getClassSchema(),
          RenderCompleted.getClassSchema(),
          RenderFailed.getClassSchema(),
          PollTicket.getClassSchema(),
          JobState.getClassSchema());

  private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
  private final ConfluentAvroDeserializer<Object> specific;
  private final ConfluentAvroDeserializer<Object> generic;

  ConfluentAvroDeserializerFuzzTest() {
    for (Schema schema : SCHEMAS) {
      registry.register(schema.getName() + "-value", schema);
    }
    specific = new ConfluentAvroDeserializer<>(registry, true);
    generic = new ConfluentAvroDeserializer<>(registry, false);
  }

  @FuzzTest(maxDuration = "10s")
  void decodesOrRejectsCleanly(byte[] data) {
    for (ConfluentAvroDeserializer<Object> deserializer : List.of(specific, generic)) {
      try {
        Object record = deserializer.deserialize(TOPIC, data);
        assertThat(record).isNotNull();
      } catch (SerializationException expected) {
        // SerdeException subtypes included: a clean, described rejection
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
