package io.renderrelay.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.client.validation.ValidationException;
import io.renderrelay.client.validation.Violation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PublisherTest {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123456Z");
  static final String VIDEO = "https://cdn.example.com/in/clip.mp4";

  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final AtomicInteger ids = new AtomicInteger();
  final AtomicInteger resourcesClosed = new AtomicInteger();

  MockProducer<String, SpecificRecord> producer(boolean autoComplete) {
    return new MockProducer<>(autoComplete, null, new StringSerializer(), new FakeAvroSerde.Ser());
  }

  RenderCommandPublisher publisher(MockProducer<String, SpecificRecord> p, PublisherConfig c) {
    return new RenderCommandPublisher(
        p, c, clock, () -> "gen-" + ids.incrementAndGet(), resourcesClosed::incrementAndGet);
  }

  static PublisherConfig.Builder config() {
    return PublisherConfig.builder("127.0.0.1:9092", RegistrySettings.of("http://127.0.0.1:8081"));
  }

  @Test
  void sendsRestyleKeyedByCallerJobIdToTheRestyleTopic() throws Exception {
    MockProducer<String, SpecificRecord> p = producer(true);
    try (RenderCommandPublisher pub = publisher(p, config().build())) {
      Submitted s =
          pub.submitRestyle(
                  RestyleRequest.of(VIDEO, "pixelated style")
                      .withJobId("order-42")
                      .withStructureTransformation(0.7)
                      .withFlip(true)
                      .withMetadata(Map.of("tenant", "acme"))
                      .withOutputPrefix("acme/")
                      .withDeadline(NOW.plus(Duration.ofHours(1))))
              .get(5, TimeUnit.SECONDS);
      assertThat(s.jobId()).isEqualTo("order-42");
      assertThat(s.topic()).isEqualTo(Topics.RESTYLE_COMMANDS);
      assertThat(s.offset()).isZero();
    }
    assertThat(p.history())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo("render.commands.restyle");
              assertThat(r.key()).isEqualTo("order-42");
              RestyleCommand c = (RestyleCommand) r.value();
              assertThat(c.getJobId()).isEqualTo("order-42");
              assertThat(c.getSourceVideoUrl()).isEqualTo(VIDEO);
              assertThat(c.getModel()).isEqualTo("gen4");
              assertThat(c.getOptions().getStructureTransformation()).isEqualTo(0.7);
              assertThat(c.getOptions().getFlip()).isTrue();
              assertThat(c.getMetadata()).containsEntry("tenant", "acme");
              assertThat(c.getOutputPrefix()).isEqualTo("acme/");
              assertThat(c.getRequestedAt()).isEqualTo(Instant.parse("2026-11-25T12:00:00.123Z"));
              assertThat(c.getDeadline()).isEqualTo(NOW.plus(Duration.ofHours(1)));
            });
    assertThat(p.closed()).isTrue();
    assertThat(resourcesClosed).hasValue(1);
  }

  @Test
  void generatesAJobIdWhenNoneIsGivenAndUsesItAsKey() throws Exception {
    MockProducer<String, SpecificRecord> p = producer(true);
    try (RenderCommandPublisher pub = publisher(p, config().build())) {
      Submitted a =
          pub.submitActOne(ActOneRequest.of(VIDEO, "https://cdn.example.com/face.png"))
              .get(5, TimeUnit.SECONDS);
      Submitted b =
          pub.submitRestyle(RestyleRequest.of(VIDEO, "oil paint")).get(5, TimeUnit.SECONDS);
      assertThat(a.jobId()).isEqualTo("gen-1");
      assertThat(b.jobId()).isEqualTo("gen-2");
      assertThat(a.topic()).isEqualTo(Topics.ACT_ONE_COMMANDS);
    }
    assertThat(p.history()).extracting(ProducerRecord::key).containsExactly("gen-1", "gen-2");
    assertThat(p.history().get(0).value()).isInstanceOf(ActOneCommand.class);
    assertThat(((ActOneCommand) p.history().get(0).value()).getJobId()).isEqualTo("gen-1");
  }

  @Test
  void producerPropertiesAreIdempotentAndTransactionalWhenConfigured() {
    RenderClients clients = new RenderClients(clock);
    assertThat(clients.producerProperties(config().build()))
        .containsEntry("enable.idempotence", "true")
        .containsEntry("acks", "all")
        .doesNotContainKey("transactional.id");
    assertThat(
            clients.producerProperties(
                config()
                    .transactionalId("upstream-1")
                    .producerOverrides(Map.of("linger.ms", "5"))
                    .build()))
        .containsEntry("transactional.id", "upstream-1")
        .containsEntry("linger.ms", "5");
    assertThatThrownBy(
            () ->
                clients.producerProperties(
                    config().producerOverrides(Map.of("value.serializer", "x")).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value.serializer");
  }

  @Test
  void invalidCommandThrowsAndNothingIsSent() {
    MockProducer<String, SpecificRecord> p = producer(true);
    try (RenderCommandPublisher pub = publisher(p, config().build())) {
      assertThatThrownBy(
              () ->
                  pub.submitRestyle(
                      RestyleRequest.of("http://169.254.169.254/latest", " ")
                          .withStructureTransformation(Double.NaN)))
          .isInstanceOf(ValidationException.class)
          .satisfies(
              e ->
                  assertThat(((ValidationException) e).violations())
                      .extracting(Violation::field)
                      .containsExactly(
                          "sourceVideoUrl", "prompt", "options.structureTransformation"));
      assertThatThrownBy(
              () -> pub.submitActOne(ActOneRequest.of(VIDEO, VIDEO).withJobId("bad id!")))
          .isInstanceOf(ValidationException.class);
      assertThatThrownBy(
              () ->
                  pub.publish(
                      RenderFailed.newBuilder()
                          .setJobId("j")
                          .setJobType(io.renderrelay.avro.JobType.RESTYLE)
                          .setReason(io.renderrelay.avro.FailureReason.UNKNOWN)
                          .setMessage("m")
                          .setFailedAt(NOW)
                          .build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a render command");
    }
    assertThat(p.history()).isEmpty();
  }

  @Test
  void rawPublishValidatesAndRoutesByType() throws Exception {
    MockProducer<String, SpecificRecord> p = producer(true);
    PublisherConfig c = config().restyleTopic("team.restyle").build();
    try (RenderCommandPublisher pub = publisher(p, c)) {
      RestyleCommand cmd =
          new RequestCommands(clock, () -> "unused")
              .restyle(RestyleRequest.of(VIDEO, "x").withJobId("raw-1"));
      assertThat(pub.publish(cmd).get(5, TimeUnit.SECONDS).topic()).isEqualTo("team.restyle");
      cmd.setSourceVideoUrl("file:///etc/passwd");
      assertThatThrownBy(() -> pub.publish(cmd)).isInstanceOf(ValidationException.class);
    }
    assertThat(p.history()).hasSize(1);
  }

  @Test
  void brokerErrorsFailTheFuture() {
    MockProducer<String, SpecificRecord> p = producer(false);
    try (RenderCommandPublisher pub = publisher(p, config().build())) {
      CompletableFuture<Submitted> f =
          pub.submitRestyle(RestyleRequest.of(VIDEO, "x").withJobId("j1"));
      assertThat(f).isNotDone();
      p.errorNext(new TimeoutException("broker gone"));
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasMessageContaining("sending job j1 to render.commands.restyle failed")
          .hasRootCauseMessage("broker gone");
    }
  }

  @Test
  void transactionalPublisherCommitsAllOrNothing() {
    MockProducer<String, SpecificRecord> p = producer(true);
    try (RenderCommandPublisher pub = publisher(p, config().transactionalId("up-1").build())) {
      assertThat(p.transactionInitialized()).isTrue();
      List<Submitted> ok =
          pub.inTransaction(
              tx -> {
                tx.submitRestyle(RestyleRequest.of(VIDEO, "a").withJobId("t1"));
                tx.submitActOne(
                    ActOneRequest.of(VIDEO, "https://cdn.example.com/f.png").withJobId("t2"));
              });
      assertThat(ok).extracting(Submitted::jobId).containsExactly("t1", "t2");
      assertThat(p.transactionCommitted()).isTrue();
      assertThat(p.history()).hasSize(2);

      assertThatThrownBy(
              () ->
                  pub.inTransaction(
                      tx -> {
                        tx.submitRestyle(RestyleRequest.of(VIDEO, "a").withJobId("t3"));
                        tx.submitRestyle(RestyleRequest.of("https://localhost/x", "a"));
                      }))
          .isInstanceOf(ValidationException.class);
      assertThat(p.transactionAborted()).isTrue();
      assertThat(p.history()).hasSize(2);

      Submitted single = pub.submitRestyle(RestyleRequest.of(VIDEO, "b").withJobId("t4")).join();
      assertThat(single.jobId()).isEqualTo("t4");
      assertThat(p.history()).extracting(ProducerRecord::key).containsExactly("t1", "t2", "t4");
    }
  }

  @Test
  void txPublisherCannotEscapeItsTransactionAndFencingIsFatal() {
    MockProducer<String, SpecificRecord> p = producer(true);
    try (RenderCommandPublisher pub = publisher(p, config().transactionalId("up-1").build())) {
      TxPublisher[] leaked = new TxPublisher[1];
      pub.inTransaction(tx -> leaked[0] = tx);
      assertThatThrownBy(() -> leaked[0].submitRestyle(RestyleRequest.of(VIDEO, "a")))
          .isInstanceOf(IllegalStateException.class);

      p.commitTransactionException = new ProducerFencedException("another instance took over");
      assertThatThrownBy(
              () -> pub.inTransaction(tx -> tx.submitRestyle(RestyleRequest.of(VIDEO, "a"))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("fatally");
      assertThatThrownBy(() -> pub.submitRestyle(RestyleRequest.of(VIDEO, "a")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("build a new one");
    }
  }

  @Test
  void nonTransactionalPublisherRefusesTransactions() {
    try (RenderCommandPublisher pub = publisher(producer(true), config().build())) {
      assertThatThrownBy(() -> pub.inTransaction(tx -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("transactional");
    }
  }

  @Test
  void configToStringHidesSecrets() {
    PublisherConfig c =
        config()
            .producerOverrides(
                Map.of("sasl.jaas.config", "org.apache...PlainLoginModule password=\"hunter2\";"))
            .build();
    PublisherConfig withAuth =
        PublisherConfig.builder(
                "b:9092",
                new RegistrySettings(
                    "https://reg:pw1@registry.example.com",
                    java.util.Optional.of("user:hunter3"),
                    java.util.Optional.empty()))
            .build();
    assertThat(c.toString()).doesNotContain("hunter2").contains("sasl.jaas.config=***");
    assertThat(withAuth.toString()).doesNotContain("hunter3").doesNotContain("pw1");
  }
}
