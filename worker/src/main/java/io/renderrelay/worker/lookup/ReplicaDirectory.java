package io.renderrelay.worker.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas' directory on a compacted topic: each running replica advertises its instance id,
 * the client id of its pipeline consumer (as the group coordinator reports it) and the base URL of
 * its management listener; a clean stop writes a tombstone. Small (one live entry per replica), so
 * a lookup reads it whole.
 */
public final class ReplicaDirectory {

  private static final Logger log = LoggerFactory.getLogger(ReplicaDirectory.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One replica's advertisement. */
  public record Replica(String instanceId, String clientId, URI url) {}

  private final String topic;
  private final Producer<byte[], byte[]> producer;
  private final Supplier<Consumer<byte[], byte[]>> readers;
  private final Duration timeout;

  /**
   * @param readers group-less, read_committed consumers, one per read (closed after it)
   */
  public ReplicaDirectory(
      String topic,
      Producer<byte[], byte[]> producer,
      Supplier<Consumer<byte[], byte[]>> readers,
      Duration timeout) {
    this.topic = topic;
    this.producer = producer;
    this.readers = readers;
    this.timeout = timeout;
  }

  /** Writes (or replaces) this replica's entry and waits for the acknowledgement. */
  public void advertise(Replica self) {
    byte[] value;
    try {
      value =
          JSON.writeValueAsBytes(
              JSON.createObjectNode()
                  .put("instanceId", self.instanceId())
                  .put("clientId", self.clientId())
                  .put("url", self.url().toString()));
    } catch (IOException e) {
      throw new IllegalStateException("replica entry not encodable", e);
    }
    send(self.instanceId(), value);
    log.info(
        "replica directory {}: advertised {} at {} (GET /jobs/{{jobId}} is forwarded there)",
        topic,
        self.instanceId(),
        self.url());
  }

  /** Removes this replica's entry (a clean stop). */
  public void withdraw(String instanceId) {
    send(instanceId, null);
    log.info("replica directory {}: withdrew {}", topic, instanceId);
  }

  /** The live entries by instance id, read from the beginning of the topic to its end. */
  public Map<String, Replica> replicas() {
    Map<String, Replica> out = new HashMap<>();
    try (Consumer<byte[], byte[]> consumer = readers.get()) {
      List<TopicPartition> tps =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (tps.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replica directory " + topic + " not read in " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          apply(out, r);
        }
      }
    }
    return out;
  }

  private static void apply(Map<String, Replica> out, ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    String id = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      out.remove(id);
      return;
    }
    try {
      JsonNode n = JSON.readTree(r.value());
      out.put(id, new Replica(id, n.path("clientId").asText(), URI.create(n.path("url").asText())));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("replica directory: entry of {} at offset {} unreadable; ignored", id, r.offset());
    }
  }

  private void send(String instanceId, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topic, instanceId.getBytes(StandardCharsets.UTF_8), value))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted writing the replica directory", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("replica directory " + topic + " not written", e);
    }
  }
}
