package io.renderrelay.e2e.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.devstack.simulator.ProviderSimulator;
import io.renderrelay.devstack.simulator.SimulatorConfig;
import io.renderrelay.e2e.Commands;
import io.renderrelay.e2e.EventCollector;
import io.renderrelay.worker.app.RenderRelayWorker;
import io.renderrelay.worker.config.ConfigLoader;
import io.renderrelay.worker.config.ConfigSources;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole pipeline on real infrastructure: the worker (in this JVM, configured as an operator
 * would, with the documented callback URL) against apache/kafka, Confluent Schema Registry and
 * MinIO in containers, and the provider simulator. A restyle and an act-one command end as
 * RenderCompleted events whose videos are in the MinIO bucket.
 */
@Testcontainers(disabledWithoutDocker = true)
@Timeout(600)
class PipelineContainersIT {
  static final Network NETWORK = Network.newNetwork();
  @Container static final KafkaContainer KAFKA = RealContainers.kafka(NETWORK);

  @Container static final GenericContainer<?> REGISTRY = RealContainers.registry(NETWORK, KAFKA);

  @Container static final MinIOContainer MINIO = RealContainers.minio(NETWORK);

  private static final String BUCKET = "renders";

  @Test
  void commandsEndAsEventsWithTheirVideosInS3() throws Exception {
    try (S3Client s3 = s3()) {
      s3.createBucket(b -> b.bucket(BUCKET));
      ProviderSimulator sim =
          new ProviderSimulator(
                  SimulatorConfig.defaults().withRenderTimeOverride(Duration.ofSeconds(1)),
                  Clock.systemUTC())
              .start();
      String registry = RealContainers.registryUrl(REGISTRY);
      try (sim;
          RenderRelayWorker ignored =
              RenderRelayWorker.start(
                  ConfigLoader.load(new ConfigSources(settings(sim), secrets(), Optional.empty())),
                  Clock.systemUTC());
          Commands commands = new Commands(KAFKA.getBootstrapServers(), registry);
          EventCollector events = new EventCollector(KAFKA.getBootstrapServers(), registry)) {
        String restyle = "tc-restyle-" + UUID.randomUUID();
        String actOne = "tc-actone-" + UUID.randomUUID();
        commands.send(Commands.restyle(restyle, Instant.now()));
        commands.send(Commands.actOne(actOne, Instant.now()));
        assertThat(events.awaitTerminal(List.of(restyle, actOne), Duration.ofMinutes(3)))
            .isEqualTo(2);
        for (String job : List.of(restyle, actOne)) {
          RenderCompleted done =
              (RenderCompleted)
                  events.eventsOf(job).stream()
                      .filter(EventCollector::completed)
                      .findFirst()
                      .orElseThrow(() -> new AssertionError(job + " did not complete"));
          long size =
              s3.headObject(h -> h.bucket(BUCKET).key(done.getVideo().getKey())).contentLength();
          assertThat(size)
              .as("video of %s in MinIO", job)
              .isEqualTo(done.getVideo().getSizeBytes());
        }
        assertThat(events.duplicated()).isEmpty();
      }
    }
  }

  /** The settings an operator sets for this stack (docs/configuration.md), no secrets. */
  private static Map<String, String> settings(ProviderSimulator sim) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap-servers", KAFKA.getBootstrapServers());
    m.put("registry.url", RealContainers.registryUrl(REGISTRY));
    m.put("provider.base-url", sim.baseUrl());
    m.put("provider.callback-base-url", "http://127.0.0.1:" + port + "/callbacks");
    m.put("storage.endpoint", MINIO.getS3URL());
    m.put("storage.bucket", BUCKET);
    m.put("storage.path-style", "true");
    m.put("storage.region", "us-east-1");
    m.put("storage.access-key-id", MINIO.getUserName());
    m.put("storage.allow-insecure-outputs", "true");
    m.put("jobs.dev-mode", "true");
    m.put("jobs.strict-input-urls", "true");
    m.put("http.bind-address", "127.0.0.1");
    m.put("http.port", Integer.toString(port));
    m.put("instance.id", "containers-1");
    m.put("instance.topic-partitions", "3");
    m.put("instance.topic-replication-factor", "1");
    m.put("instance.ledger-dir", Files.createTempDirectory("rr-ledger-").toString());
    m.put("poll.tiers", "render.poll.1s:1s:10,render.poll.3s:3s:0");
    return m;
  }

  private static Map<String, String> secrets() {
    return Map.of(
        "RENDER_RELAY_PROVIDER_API_KEY",
        SimulatorConfig.DEFAULT_API_KEY,
        "RENDER_RELAY_STORAGE_SECRET_ACCESS_KEY",
        MINIO.getPassword(),
        "RENDER_RELAY_INSTANCE_CALLBACK_SECRET",
        "containers-callback-secret-0123456789");
  }

  private static S3Client s3() {
    return S3Client.builder()
        .endpointOverride(URI.create(MINIO.getS3URL()))
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
        .build();
  }
}
