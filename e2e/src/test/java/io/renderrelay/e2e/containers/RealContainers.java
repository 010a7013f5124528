package io.renderrelay.e2e.containers;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The real containers of docker-compose.yml (same images and versions): apache/kafka in KRaft mode,
 * Confluent Schema Registry on it, and MinIO as the S3 server. Each *ContainersIT starts them
 * through Testcontainers' JUnit extension ({@code @Testcontainers(disabledWithoutDocker = true)}),
 * so without a Docker engine the tests are skipped, never failed.
 */
final class RealContainers {
  static final String KAFKA_IMAGE = "apache/kafka:4.1.0";
  static final String REGISTRY_IMAGE = "confluentinc/cp-schema-registry:7.9.0";
  static final String MINIO_IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";
  static final int REGISTRY_PORT = 8081;

  private RealContainers() {}

  /** A one-node KRaft broker with a listener for the other containers at kafka:19092. */
  static KafkaContainer kafka(Network network) {
    return new KafkaContainer(DockerImageName.parse(KAFKA_IMAGE))
        .withNetwork(network)
        .withListener("kafka:19092")
        // one node: internal topics with one replica, or transactions never become available
        .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
  }

  /** Confluent Schema Registry storing its schemas in that broker. */
  static GenericContainer<?> registry(Network network, KafkaContainer kafka) {
    return new GenericContainer<>(DockerImageName.parse(REGISTRY_IMAGE))
        .withNetwork(network)
        .dependsOn(kafka)
        .withExposedPorts(REGISTRY_PORT)
        .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
        .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://kafka:19092")
        .withEnv("SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR", "1")
        .withEnv("SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL", "backward")
        .waitingFor(Wait.forHttp("/subjects").forStatusCode(200));
  }

  static MinIOContainer minio(Network network) {
    return new MinIOContainer(DockerImageName.parse(MINIO_IMAGE)).withNetwork(network);
  }

  static String registryUrl(GenericContainer<?> registry) {
    return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
  }
}
