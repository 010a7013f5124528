package io.renderrelay.worker.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** Finished steps whose effects go into the next transaction. Used by the loop thread only. */
final class Batch {

  private final List<Completion> entries = new ArrayList<>();

  void add(Completion c) {
    entries.add(c);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The partitions whose records' results are in the batch. */
  Set<TopicPartition> sources() {
    Set<TopicPartition> out = new HashSet<>();
    entries.forEach(c -> out.add(c.work().source()));
    return out;
  }

  boolean hasAny(Set<TopicPartition> partitions) {
    return entries.stream().anyMatch(c -> partitions.contains(c.work().source()));
  }

  /** Forgets the results of partitions that moved: they are never written. */
  void drop(Set<TopicPartition> partitions) {
    entries.removeIf(c -> partitions.contains(c.work().source()));
  }

  /** Sends every record of the batch into the open transaction; returns how many. */
  int send(Producer<byte[], byte[]> producer) {
    int n = 0;
    for (Completion c : entries) {
      for (ProducerRecord<byte[], byte[]> r : c.result().records()) {
        producer.send(r);
        n++;
      }
    }
    return n;
  }

  /** The entries, handed out once their transaction committed; the batch is empty afterwards. */
  List<Completion> take() {
    List<Completion> out = List.copyOf(entries);
    entries.clear();
    return out;
  }
}
