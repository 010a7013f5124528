package io.renderrelay.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Byte-array consumers that watch a whole topic as read_committed, without a consumer group. */
public final class RawConsumers {
  private RawConsumers() {}

  /** A read_committed consumer of raw keys and values that commits nothing. */
  public static KafkaConsumer<byte[], byte[]> committed(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Assigns every partition of {@code topic}, waiting while it has none yet and {@code running}
   * holds, and seeks to the beginning.
   */
  public static void assignFromStart(
      Consumer<byte[], byte[]> consumer, String topic, BooleanSupplier running) {
    List<TopicPartition> tps = new ArrayList<>();
    while (running.getAsBoolean() && tps.isEmpty()) {
      consumer
          .partitionsFor(topic, Duration.ofSeconds(5))
          .forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
    }
    consumer.assign(tps);
    consumer.seekToBeginning(tps);
  }
}
