package io.renderrelay.worker.cli;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** Builds the Kafka clients and Avro serdes a command needs; tests hand in mocks. */
public interface ClientFactory extends AutoCloseable {

  /** A group-less, read_committed, assign-only consumer of raw bytes. */
  Consumer<byte[], byte[]> consumer(String purpose);

  /** An idempotent (acks=all) producer of raw bytes. */
  Producer<byte[], byte[]> producer(String purpose);

  /**
   * A Confluent-framed Avro deserializer.
   *
   * @param specific decode into the generated classes (else generic records)
   */
  Deserializer<Object> avroDeserializer(boolean specific);

  /** A Confluent-framed Avro serializer: subject per topic, schema auto-registered. */
  Serializer<Object> avroSerializer();

  /** The offsets a consumer group has committed on the given partitions (absent: none). */
  Map<TopicPartition, Long> committedOffsets(String group, Set<TopicPartition> partitions);

  /** True when a schema registry URL is configured. */
  boolean hasRegistry();

  @Override
  void close();
}
