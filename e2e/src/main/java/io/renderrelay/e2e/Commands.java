package io.renderrelay.e2e;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.serde.ConfluentAvroSerializer;
import io.renderrelay.serde.HttpSchemaRegistryClient;
import io.renderrelay.serde.RegistryClientConfig;
import io.renderrelay.serde.SchemaRegistryClient;
import io.renderrelay.serde.SubjectNameStrategy;
import io.renderrelay.worker.job.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes commands as an upstream service would (Confluent-framed Avro, key = jobId), and raw
 * bytes for the bad-input cases.
 */
public final class Commands implements AutoCloseable {

  public static final String RESTYLE_TOPIC = "render.commands.restyle";
  public static final String ACT_ONE_TOPIC = "render.commands.act-one";

  private final Producer<byte[], byte[]> producer;
  private final SchemaRegistryClient registry;
  private final ConfluentAvroSerializer<Object> serializer;
  private final String restyleTopic;
  private final String actOneTopic;

  /** A publisher to the default command topics. */
  public Commands(String bootstrapServers, String registryUrl) {
    this(bootstrapServers, registryUrl, RESTYLE_TOPIC, ACT_ONE_TOPIC);
  }

  /** A publisher to these command topics ({@code topics.restyle-commands}, ...act-one...). */
  public Commands(
      String bootstrapServers, String registryUrl, String restyleTopic, String actOneTopic) {
    this.restyleTopic = restyleTopic;
    this.actOneTopic = actOneTopic;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    this.registry = new HttpSchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    this.serializer =
        new ConfluentAvroSerializer<>(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
  }

  public static RestyleCommand restyle(String jobId, Instant now) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("https://media.example.com/in/" + jobId + ".mp4")
        .setPrompt("pixelated style")
        .setOptions(RestyleOptions.newBuilder().setStructureTransformation(0.5).build())
        .setMetadata(Map.of("origin", "e2e", "job", jobId))
        .setRequestedAt(now)
        .build();
  }

  public static ActOneCommand actOne(String jobId, Instant now) {
    return ActOneCommand.newBuilder()
        .setJobId(jobId)
        .setPerformanceVideoUrl("https://media.example.com/perf/" + jobId + ".mp4")
        .setCharacterImageUrl("https://media.example.com/char/" + jobId + ".png")
        .setMetadata(Map.of("origin", "e2e"))
        .setRequestedAt(now)
        .build();
  }

  /** Publishes a command to its topic and waits for the acknowledgement. */
  public void send(SpecificRecord command) {
    String topic = topicOf(command);
    sendRaw(topic, Jobs.commandJobId(command), serializer.serialize(topic, command));
  }

  /**
   * Publishes without waiting (bulk loads); call {@link #flush()} after, then check the returned
   * futures: a send can fail after the producer's delivery timeout.
   */
  public java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> sendAsync(
      SpecificRecord command) {
    String topic = topicOf(command);
    return producer.send(
        new ProducerRecord<>(
            topic,
            Jobs.commandJobId(command).getBytes(StandardCharsets.UTF_8),
            serializer.serialize(topic, command)));
  }

  /** The topic this publisher sends {@code command} to. */
  public String topicOf(SpecificRecord command) {
    return command instanceof ActOneCommand ? actOneTopic : restyleTopic;
  }

  public void flush() {
    producer.flush();
  }

  /** Publishes a command with these record headers (e.g. W3C traceparent) and waits. */
  public void send(SpecificRecord command, java.util.Map<String, String> headers) {
    String topic = topicOf(command);
    ProducerRecord<byte[], byte[]> r =
        new ProducerRecord<>(
            topic,
            Jobs.commandJobId(command).getBytes(StandardCharsets.UTF_8),
            serializer.serialize(topic, command));
    headers.forEach((k, v) -> r.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
    publish(r);
  }

  /** Publishes raw bytes (the bad-input cases); a null key or value is sent as null. */
  public void sendRaw(String topic, String key, byte[] value) {
    publish(
        new ProducerRecord<>(
            topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
  }

  private void publish(ProducerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "publish to " + topic + " failed: " + e.getCause(), e.getCause());
    }
  }

  public byte[] serialize(String topic, SpecificRecord command) {
    return serializer.serialize(topic, command);
  }

  @Override
  public void close() {
    producer.close();
    registry.close();
  }
}
