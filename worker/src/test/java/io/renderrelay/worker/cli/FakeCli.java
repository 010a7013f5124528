package io.renderrelay.worker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Runs the CLI against mocks: MockConsumer/MockProducer, a fake serde, fake time and terminal. */
final class FakeCli implements ClientFactory {

  static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final RateLimiterTest.FakeTime time = new RateLimiterTest.FakeTime();
  final FakeAvroSerde serde = new FakeAvroSerde();
  final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final List<GlobalOptions> globals = new ArrayList<>();

  /** The CLI's environment (RENDER_RELAY_* settings). */
  final java.util.Map<String, String> env = new java.util.HashMap<>();

  MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  boolean registry = true;
  boolean stdinTerminal;
  boolean answerYes;
  int exit = -1;

  int run(String... args) {
    CliContext ctx =
        new CliContext(
            Clock.fixed(NOW, ZoneOffset.UTC),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            g -> {
              globals.add(g);
              return this;
            },
            time,
            () -> time.nanos,
            new CliContext.Terminal() {
              @Override
              public boolean stdinIsTerminal() {
                return stdinTerminal;
              }

              @Override
              public boolean stderrIsTerminal() {
                return false;
              }

              @Override
              public boolean confirm(String question) {
                return answerYes;
              }
            },
            env);
    exit = RenderRelayCli.run(ctx, args);
    return exit;
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Consumers for particular purposes (else {@link #consumer}). */
  final java.util.Map<String, MockConsumer<byte[], byte[]>> consumers = new java.util.HashMap<>();

  @Override
  public Consumer<byte[], byte[]> consumer(String purpose) {
    return consumers.getOrDefault(purpose, consumer);
  }

  @Override
  public Producer<byte[], byte[]> producer(String purpose) {
    return producer;
  }

  @Override
  public Deserializer<Object> avroDeserializer(boolean specific) {
    return serde.deserializer(specific);
  }

  @Override
  public Serializer<Object> avroSerializer() {
    return serde.serializer();
  }

  /** What {@link #committedOffsets} answers: the worker group's offsets. */
  final java.util.Map<org.apache.kafka.common.TopicPartition, Long> groupOffsets =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Runs when the group's offsets are asked for (the worker "consumes" the replay then). */
  Runnable onOffsetsAsked = () -> {};

  @Override
  public java.util.Map<org.apache.kafka.common.TopicPartition, Long> committedOffsets(
      String group, java.util.Set<org.apache.kafka.common.TopicPartition> partitions) {
    onOffsetsAsked.run();
    java.util.Map<org.apache.kafka.common.TopicPartition, Long> out = new java.util.HashMap<>();
    groupOffsets.forEach(
        (tp, o) -> {
          if (partitions.contains(tp)) {
            out.put(tp, o);
          }
        });
    return out;
  }

  @Override
  public boolean hasRegistry() {
    return registry;
  }

  @Override
  public void close() {}
}
