package io.renderrelay.devstack.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.RenderOutput;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.serde.ConfluentAvroDeserializer;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.RegistryUnavailableException;
import io.renderrelay.serde.SchemaRegistrationException;
import io.renderrelay.serde.SerdeConfig;
import io.renderrelay.serde.UnknownSchemaIdException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchemaRegistryServerIT {

  private SchemaRegistryServer server;
  private HttpSchemaRegistryClient client;

  @BeforeEach
  void start() {
    server = new SchemaRegistryServer(0).start();
    client = new HttpSchemaRegistryClient(fast(server.url()));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static RegistryClientConfig fast(String urls) {
    return RegistryClientConfig.of(urls)
        .withRetries(Duration.ofSeconds(2), 3, Duration.ofMillis(20));
  }

  static Schema outputV2(boolean withDefault) {
    var fields =
        SchemaBuilder.record("RenderOutput")
            .namespace("io.renderrelay.avro")
            .fields()
            .requiredString("bucket")
            .requiredString("key")
            .requiredString("uri")
            .requiredLong("sizeBytes")
            .requiredString("sha256")
            .requiredString("contentType");
    return (withDefault
            ? fields.name("etag").type().stringType().stringDefault("")
            : fields.requiredString("etag"))
        .endRecord();
  }

  @Test
  void registerLookupAndFetchById() {
    int id = client.register("outputs-value", RenderOutput.getClassSchema());
    assertThat(id).isPositive();
    try (var fresh = new HttpSchemaRegistryClient(fast(server.url()))) {
      assertThat(fresh.register("outputs-value", RenderOutput.getClassSchema())).isEqualTo(id);
      assertThat(fresh.getId("outputs-value", RenderOutput.getClassSchema())).isEqualTo(id);
      assertThat(fresh.getSchemaById(id)).isEqualTo(RenderOutput.getClassSchema());
      assertThat(fresh.register("other-value", RenderOutput.getClassSchema()))
          .as("ids are global per schema")
          .isEqualTo(id);
      int next = fresh.register("outputs-value", outputV2(true));
      assertThat(next).isGreaterThan(id);
      assertThat(fresh.subjects()).containsExactly("other-value", "outputs-value");
    }
  }

  @Test
  void unknownIdAndSubjectAreReported() {
    assertThatThrownBy(() -> client.getSchemaById(4711))
        .isInstanceOfSatisfying(
            UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(4711));
    assertThatThrownBy(() -> client.getId("nope-value", RenderOutput.getClassSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistrationException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40401);
            });
    client.register("outputs-value", RenderOutput.getClassSchema());
    assertThatThrownBy(() -> client.getId("outputs-value", outputV2(true)))
        .isInstanceOfSatisfying(
            SchemaRegistrationException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
  }

  @Test
  void incompatibleSchemaIsRejectedWith409() throws Exception {
    client.register("outputs-value", RenderOutput.getClassSchema());
    assertThat(client.testCompatibility("outputs-value", outputV2(false))).isFalse();
    assertThat(client.testCompatibility("outputs-value", outputV2(true))).isTrue();
    assertThat(client.testCompatibility("fresh-subject", outputV2(false))).isTrue();
    assertThatThrownBy(() -> client.register("outputs-value", outputV2(false)))
        .isInstanceOfSatisfying(
            SchemaRegistrationException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(409);
              assertThat(e.errorCode()).isEqualTo(409);
              assertThat(e.isIncompatible()).isTrue();
            })
        .hasMessageContaining("etag");

    assertThat(raw("PUT", "/config/outputs-value", "{\"compatibility\":\"NONE\"}").body())
        .contains("NONE");
    assertThat(client.register("outputs-value", outputV2(false))).isPositive();
    assertThat(raw("GET", "/subjects/outputs-value/versions", null).body()).isEqualTo("[1,2]");
  }

  @Test
  void configAndVersionEndpointsSpeakConfluentJson() throws Exception {
    assertThat(raw("GET", "/config", null).body())
        .isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
    assertThat(raw("PUT", "/config", "{\"compatibility\":\"full_transitive\"}").body())
        .isEqualTo("{\"compatibility\":\"FULL_TRANSITIVE\"}");
    var bad = raw("PUT", "/config", "{\"compatibility\":\"SIDEWAYS\"}");
    assertThat(bad.statusCode()).isEqualTo(422);
    assertThat(bad.body()).contains("\"error_code\":42203");
    var invalid = raw("POST", "/subjects/s/versions", "{\"schema\":\"{not avro\"}");
    assertThat(invalid.statusCode()).isEqualTo(422);
    assertThat(invalid.body()).contains("\"error_code\":42201");

    int id = client.register("s", RenderOutput.getClassSchema());
    var latest = raw("GET", "/subjects/s/versions/latest", null);
    assertThat(latest.body()).contains("\"version\":1", "\"id\":" + id, "\"subject\":\"s\"");
    assertThat(raw("GET", "/schemas/ids/" + id + "/subjects", null).body()).isEqualTo("[\"s\"]");
    assertThat(raw("GET", "/subjects/s/versions/2", null).body()).contains("40402");
    assertThat(raw("DELETE", "/subjects/s", null).body()).isEqualTo("[1]");
    assertThat(client.subjects()).isEmpty();
  }

  @Test
  void fiveHundredsAreRetried() {
    server.failNextRequests(2);
    long before = server.requestCount();
    assertThat(client.register("outputs-value", RenderOutput.getClassSchema())).isPositive();
    assertThat(server.requestCount() - before).isEqualTo(3);

    server.failNextRequests(100);
    assertThatThrownBy(() -> client.getSchemaById(99))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("4 attempt(s)")
        .hasMessageContaining("HTTP 500");
  }

  @Test
  void clientWaitsForARegistryThatComesUpLater() throws Exception {
    int port = freePort();
    var config =
        RegistryClientConfig.of("http://127.0.0.1:" + port)
            .withRetries(Duration.ofSeconds(1), 12, Duration.ofMillis(50));
    try (var waiting = new HttpSchemaRegistryClient(config)) {
      CompletableFuture<Integer> id =
          CompletableFuture.supplyAsync(
              () -> waiting.register("late-value", RenderOutput.getClassSchema()));
      Thread.sleep(400);
      assertThat(id).isNotDone();
      try (var late = new SchemaRegistryServer(port).start()) {
        assertThat(id.get(20, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(late.requestCount()).isPositive();
      }
    }
  }

  @Test
  void deadUrlsAreSkipped() throws Exception {
    String urls = "http://127.0.0.1:" + freePort() + "," + server.url();
    try (var failover =
        new HttpSchemaRegistryClient(
            RegistryClientConfig.of(urls).withRetries(Duration.ofSeconds(1), 1, Duration.ZERO))) {
      for (int i = 0; i < 4; i++) {
        assertThat(failover.subjects()).isEmpty();
      }
    }
  }

  @Test
  void registryDownFailsWithinTheConfiguredTimeout() throws Exception {
    var config =
        RegistryClientConfig.of("http://127.0.0.1:" + freePort())
            .withRetries(Duration.ofMillis(300), 2, Duration.ofMillis(20));
    try (var down = new HttpSchemaRegistryClient(config)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> down.getSchemaById(1))
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("3 attempt(s)");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }
    // a registry that accepts connections but never answers: the request timeout applies
    try (var silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        var hung =
            new HttpSchemaRegistryClient(
                RegistryClientConfig.of("http://127.0.0.1:" + silent.getLocalPort())
                    .withRetries(Duration.ofMillis(300), 1, Duration.ofMillis(10)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> hung.subjects())
          .isInstanceOf(RegistryUnavailableException.class)
          .hasMessageContaining("Timeout");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).isBetween(Duration.ofMillis(550), Duration.ofMillis(2500));
    }
  }

  @Test
  void basicAuthIsEnforced() {
    try (var secured = new SchemaRegistryServer(0, Optional.of("alice:s3cret")).start();
        var good = new HttpSchemaRegistryClient(fast(secured.url()).withBasicAuth("alice:s3cret"));
        var wrong = new HttpSchemaRegistryClient(fast(secured.url()).withBasicAuth("alice:guess"));
        var none = new HttpSchemaRegistryClient(fast(secured.url()))) {
      assertThat(good.register("s", RenderOutput.getClassSchema())).isEqualTo(1);
      long before = secured.requestCount();
      assertThatThrownBy(() -> wrong.subjects())
          .isInstanceOfSatisfying(
              SchemaRegistrationException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(401);
                assertThat(e.isAuthFailure()).isTrue();
              })
          .hasMessageNotContaining("guess")
          .hasMessageNotContaining("alice");
      assertThat(secured.requestCount() - before).as("4xx is not retried").isEqualTo(1);
      assertThatThrownBy(() -> none.getSchemaById(1))
          .isInstanceOfSatisfying(
              SchemaRegistrationException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
    }
  }

  @Test
  void kafkaStyleConfiguredSerdeRoundTrips() {
    Map<String, Object> configs =
        Map.of(
            SerdeConfig.SCHEMA_REGISTRY_URL,
            server.url(),
            SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY,
            "io.confluent.kafka.serializers.subject.RecordNameStrategy",
            SerdeConfig.SPECIFIC_AVRO_READER,
            "true");
    RestyleCommand cmd =
        RestyleCommand.newBuilder()
            .setJobId("j-1")
            .setSourceVideoUrl("https://cdn.example/a.mp4")
            .setPrompt("ink")
            .setOptions(new RestyleOptions(0.3, false))
            .setRequestedAt(Instant.ofEpochMilli(5))
            .build();
    try (var ser = new ConfluentAvroSerializer<RestyleCommand>();
        var de = new ConfluentAvroDeserializer<RestyleCommand>()) {
      ser.configure(configs, false);
      de.configure(configs, false);
      assertThat(de.deserialize("render.commands", ser.serialize("render.commands", cmd)))
          .isEqualTo(cmd);
    }
    assertThat(client.subjects()).containsExactly("io.renderrelay.avro.RestyleCommand");
  }

  private HttpResponse<String> raw(String method, String path, String body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      var b =
          HttpRequest.newBuilder(URI.create(server.url() + path))
              .header("Content-Type", "application/vnd.schemaregistry.v1+json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
