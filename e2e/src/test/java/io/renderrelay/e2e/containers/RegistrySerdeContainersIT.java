package io.renderrelay.e2e.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.e2e.Commands;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.ConfluentWireFormat;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SubjectNameStrategy;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The project's own serde against the real Confluent Schema Registry: registration under the
 * topic-name strategy, the Confluent wire format with the id the registry assigned, the schema by
 * id, compatibility under the registry's backward mode, and the round trip.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(300)
class RegistrySerdeContainersIT {
  static final Network NETWORK = Network.newNetwork();
  @Container static final KafkaContainer KAFKA = RealContainers.kafka(NETWORK);

  @Container static final GenericContainer<?> REGISTRY = RealContainers.registry(NETWORK, KAFKA);

  @Test
  void commandsRoundTripThroughTheRealRegistry() {
    String topic = Commands.RESTYLE_TOPIC;
    RestyleCommand command = Commands.restyle("serde-" + UUID.randomUUID(), Instant.now());
    try (var client =
            new HttpSchemaRegistryClient(
                RegistryClientConfig.of(RealContainers.registryUrl(REGISTRY)));
        var serializer =
            new ConfluentAvroSerializer<RestyleCommand>(
                client, SubjectNameStrategy.TOPIC_NAME, true, false);
        var deserializer = new ConfluentAvroDeserializer<RestyleCommand>(client, true)) {
      byte[] bytes = serializer.serialize(topic, command);

      assertThat(client.subjects()).contains(topic + "-value");
      assertThat(bytes[0]).as("magic byte").isEqualTo(ConfluentWireFormat.MAGIC_BYTE);
      int id = ConfluentWireFormat.schemaId(topic, bytes);
      assertThat(id).isEqualTo(client.getId(topic + "-value", RestyleCommand.getClassSchema()));
      assertThat(client.getSchemaById(id)).isEqualTo(RestyleCommand.getClassSchema());
      assertThat(client.testCompatibility(topic + "-value", RestyleCommand.getClassSchema()))
          .isTrue();
      assertThat(deserializer.deserialize(topic, bytes)).isEqualTo(command);
    }
  }
}
