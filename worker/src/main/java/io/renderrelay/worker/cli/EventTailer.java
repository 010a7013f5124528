package io.renderrelay.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Follows the events topic (group-less, read_committed) and prints one JSON line per
 * RenderCompleted / RenderFailed: {@code
 * {"type":..,"jobId":..,"partition":..,"offset":..,"event":{..}}}.
 */
final class EventTailer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * @param max stop after this many printed events
   * @param timeout stop after this long
   */
  public record Settings(
      boolean fromBeginning, long max, Set<String> jobIds, Optional<Duration> timeout) {}

  /** How the tail ended. */
  public record Result(long printed, boolean timedOut) {}

  private final Consumer<byte[], byte[]> consumer;
  private final Deserializer<Object> deserializer;
  private final Clock clock;
  private final PrintWriter out;
  private final PrintWriter err;

  public EventTailer(
      Consumer<byte[], byte[]> consumer,
      Deserializer<Object> deserializer,
      Clock clock,
      PrintWriter out,
      PrintWriter err) {
    this.consumer = consumer;
    this.deserializer = deserializer;
    this.clock = clock;
    this.out = out;
    this.err = err;
  }

  public Result tail(String topic, Settings s) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new CliException(
          "topic " + topic + " does not exist (or this client may not describe it)");
    }
    List<TopicPartition> partitions =
        infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    consumer.assign(partitions);
    if (s.fromBeginning()) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
    }
    Optional<Instant> deadline = s.timeout().map(clock.instant()::plus);
    long printed = 0;
    while (printed < s.max()) {
      if (deadline.isPresent() && !clock.instant().isBefore(deadline.get())) {
        return new Result(printed, true);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
        if (printed < s.max() && print(r, s.jobIds())) {
          printed++;
        }
      }
      out.flush();
    }
    return new Result(printed, false);
  }

  private boolean print(ConsumerRecord<byte[], byte[]> r, Set<String> jobIds) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (!jobIds.isEmpty() && (key == null || !jobIds.contains(key))) {
      return false;
    }
    Object event;
    try {
      event = deserializer.deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      err.println(
          "skipping "
              + r.topic()
              + "/"
              + r.partition()
              + "@"
              + r.offset()
              + ": cannot decode: "
              + e.getMessage());
      return false;
    }
    String type =
        switch (event) {
          case RenderCompleted c -> "RenderCompleted";
          case RenderFailed f -> "RenderFailed";
          case null -> null;
          default -> event.getClass().getSimpleName();
        };
    if (type == null) {
      return false;
    }
    ObjectNode line = JSON.createObjectNode();
    line.put("type", type);
    line.put("jobId", key);
    line.put("partition", r.partition());
    line.put("offset", r.offset());
    line.put("timestamp", Instant.ofEpochMilli(r.timestamp()).toString());
    line.set("event", AvroJson.toJson(event));
    try {
      out.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new CliException("cannot write JSON: " + e.getMessage(), e);
    }
    return true;
  }
}
