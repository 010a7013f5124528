package io.renderrelay.worker.cli;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Builds dead-letter records and a MockConsumer that serves them (no sockets). */
final class TestDlt {

  static final String DLT = "render.dlt";
  static final String RESTYLE = "render.commands.restyle";
  static final String ACT_ONE = "render.commands.act-one";

  private TestDlt() {}

  /** A DLT record with the rr.dlt.* headers of a command that failed at source@srcOffset. */
  static ConsumerRecord<byte[], byte[]> record(
      int partition,
      long offset,
      long timestamp,
      String jobId,
      String reason,
      String sourceTopic,
      long srcOffset,
      String... extraHeaders) {
    RecordHeaders h = new RecordHeaders();
    h.add("origin", "upstream-a".getBytes(StandardCharsets.UTF_8));
    put(h, DltHeaders.REASON, reason);
    put(h, DltHeaders.DETAIL, "cannot decode the command: bad magic byte 0x7b");
    put(h, DltHeaders.EXCEPTION, "org.apache.kafka.common.errors.SerializationException");
    if (sourceTopic != null) {
      put(h, DltHeaders.SOURCE_TOPIC, sourceTopic);
      put(h, DltHeaders.SOURCE_PARTITION, "3");
      put(h, DltHeaders.SOURCE_OFFSET, Long.toString(srcOffset));
    }
    put(h, DltHeaders.TIME, Long.toString(timestamp));
    for (int i = 0; i + 1 < extraHeaders.length; i += 2) {
      put(h, extraHeaders[i], extraHeaders[i + 1]);
    }
    byte[] key = jobId == null ? null : jobId.getBytes(StandardCharsets.UTF_8);
    byte[] value = ("value-of-" + jobId).getBytes(StandardCharsets.UTF_8);
    return new ConsumerRecord<>(
        DLT,
        partition,
        offset,
        timestamp,
        TimestampType.CREATE_TIME,
        -1,
        value.length,
        key,
        value,
        h,
        Optional.empty());
  }

  static void put(RecordHeaders h, String name, String value) {
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A consumer over {@code partitions} partitions of the topic holding the records, with the end
   * offsets right after the last record of each partition (plus {@code extraEnd}).
   */
  static MockConsumer<byte[], byte[]> consumer(
      String topic, int partitions, List<ConsumerRecord<byte[], byte[]>> records) {
    MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
    List<PartitionInfo> infos = new ArrayList<>();
    Map<TopicPartition, Long> begin = new HashMap<>();
    Map<TopicPartition, Long> end = new HashMap<>();
    Node node = new Node(0, "localhost", 9092);
    for (int p = 0; p < partitions; p++) {
      infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
      begin.put(new TopicPartition(topic, p), 0L);
      end.put(new TopicPartition(topic, p), 0L);
    }
    for (ConsumerRecord<byte[], byte[]> r : records) {
      end.merge(new TopicPartition(topic, r.partition()), r.offset() + 1, Math::max);
    }
    c.updatePartitions(topic, infos);
    c.updateBeginningOffsets(begin);
    c.updateEndOffsets(end);
    c.schedulePollTask(() -> records.forEach(c::addRecord));
    return c;
  }
}
