package io.renderrelay.worker.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/** Serializes a command (Confluent Avro) and publishes it with key = jobId, waiting for the ack. */
final class CommandSubmitter {

  private final Producer<byte[], byte[]> producer;
  private final Serializer<Object> serializer;
  private final Duration timeout;

  public CommandSubmitter(
      Producer<byte[], byte[]> producer, Serializer<Object> serializer, Duration timeout) {
    this.producer = producer;
    this.serializer = serializer;
    this.timeout = timeout;
  }

  public RecordMetadata submit(String topic, String jobId, SpecificRecord command)
      throws InterruptedException {
    RecordHeaders headers = new RecordHeaders();
    byte[] value = serializer.serialize(topic, headers, command);
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, null, jobId.getBytes(StandardCharsets.UTF_8), value, headers);
    try {
      return producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new CliException(
          "cannot publish to " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new CliException(
          "no acknowledgement from the broker for "
              + topic
              + " within "
              + timeout.toSeconds()
              + "s");
    }
  }
}
