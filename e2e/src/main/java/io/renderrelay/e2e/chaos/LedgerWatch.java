package io.renderrelay.e2e.chaos;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.e2e.RawConsumers;
import io.renderrelay.worker.ledger.LedgerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows the committed job ledger (render.jobs, read_committed) so that, at a kill, the run can
 * tell which stage the victim's jobs were in. A view only: the checks never rely on it.
 */
final class LedgerWatch implements AutoCloseable {

  /** The last committed ledger entry of a job. */
  public record Entry(int partition, JobPhase phase, String taskId) {}

  public static final String TOPIC = "render.jobs";

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LedgerCodec codec = LedgerCodec.current();
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public LedgerWatch(String bootstrapServers) {
    this.consumer = RawConsumers.committed(bootstrapServers);
    this.thread = Thread.ofPlatform().daemon().name("chaos-ledger").start(this::run);
  }

  private void run() {
    try {
      RawConsumers.assignFromStart(consumer, TOPIC, running::get);
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          apply(r);
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return;
    }
    String jobId = new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      entries.remove(jobId);
      return;
    }
    try {
      JobState s = codec.decode(r.value());
      entries.put(jobId, new Entry(r.partition(), s.getPhase(), s.getTaskId()));
    } catch (RuntimeException e) {
      // not ours to judge: the worker's own ledger restore reports undecodable entries
    }
  }

  /** The last committed entry of {@code jobId}, if any. */
  public Optional<Entry> entry(String jobId) {
    return Optional.ofNullable(entries.get(jobId));
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    consumer.wakeup();
    thread.join(5_000);
  }
}
