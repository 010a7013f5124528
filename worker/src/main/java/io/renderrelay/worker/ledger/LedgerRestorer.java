package io.renderrelay.worker.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores ledger partitions from the compacted {@code render.jobs} topic into the local store,
 * reading committed records only, up to the end offsets seen when it starts.
 */
public final class LedgerRestorer {

  private static final Logger log = LoggerFactory.getLogger(LedgerRestorer.class);

  private final Supplier<Consumer<byte[], byte[]>> consumers;
  private final String topic;
  private final LedgerStore store;
  private final LedgerCodec codec;
  private final Clock clock;
  private final Duration timeout;

  public LedgerRestorer(
      Supplier<Consumer<byte[], byte[]>> consumers,
      String topic,
      LedgerStore store,
      LedgerCodec codec,
      Clock clock,
      Duration timeout) {
    this.consumers = consumers;
    this.topic = topic;
    this.store = store;
    this.codec = codec;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** Clears and restores the given partitions; returns the number of entries read. */
  public long restore(Collection<Integer> partitions) {
    if (partitions.isEmpty()) {
      return 0;
    }
    Instant started = clock.instant();
    Instant deadline = started.plus(timeout);
    List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p)).toList();
    partitions.forEach(store::clearPartition);
    long read = 0;
    try (Consumer<byte[], byte[]> consumer = consumers.get()) {
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
      while (!caughtUp(consumer, end)) {
        if (clock.instant().isAfter(deadline)) {
          throw new IllegalStateException(
              "ledger restore of " + tps + " did not finish within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          apply(r);
          read++;
        }
      }
    }
    log.info(
        "ledger restored partitions={} entries={} took_ms={}",
        partitions,
        read,
        Duration.between(started, clock.instant()).toMillis());
    return read;
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    String jobId = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      store.remove(r.partition(), jobId);
    } else {
      store.put(r.partition(), codec.decode(r.value()));
    }
  }

  private static boolean caughtUp(
      Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
