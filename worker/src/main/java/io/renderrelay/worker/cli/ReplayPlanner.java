package io.renderrelay.worker.cli;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Decides what one dead-letter record becomes when replayed: the same key, value and headers (the
 * {@code rr.dlt.*} ones included, so the history stays with the record) sent to the source topic
 * and partition, or to the {@code --to} topic, plus provenance headers. A record replayed again
 * gets its {@code rr.replay.count} incremented.
 */
final class ReplayPlanner {

  public static final String COUNT = DltRecordView.REPLAY_COUNT;
  public static final String TIME = DltHeaders.REPLAY_TIME;
  public static final String SOURCE_OFFSET = DltHeaders.REPLAY_SOURCE_OFFSET;
  public static final String SOURCE_PARTITION = DltHeaders.REPLAY_SOURCE_PARTITION;

  /** What to do with one record. */
  public sealed interface Plan {
    /** Send this record; {@code replayNumber} is the new rr.replay.count. */
    record Send(ProducerRecord<byte[], byte[]> record, int replayNumber) implements Plan {}

    /** Leave the record alone, for this reason (counted in the summary). */
    record Skip(String reason) implements Plan {}
  }

  private final Optional<String> toTopic;
  private final String dltTopic;
  private final Clock clock;

  public ReplayPlanner(Optional<String> toTopic, String dltTopic, Clock clock) {
    this.toTopic = toTopic;
    this.dltTopic = dltTopic;
    this.clock = clock;
  }

  public Plan plan(ConsumerRecord<byte[], byte[]> r) {
    Optional<String> target =
        toTopic.or(
            () ->
                Optional.ofNullable(DltRecordView.text(r.headers(), DltHeaders.SOURCE_TOPIC))
                    .filter(s -> !s.isBlank()));
    if (target.isEmpty()) {
      return new Plan.Skip("no " + DltHeaders.SOURCE_TOPIC + " header and no --to");
    }
    if (target.get().equals(dltTopic)) {
      return new Plan.Skip("target is the dead-letter topic itself");
    }
    int replayNumber = DltRecordView.replayCount(r.headers()) + 1;
    RecordHeaders headers = new RecordHeaders();
    for (Header h : r.headers()) {
      if (!isProvenance(h.key())) {
        headers.add(h.key(), h.value());
      }
    }
    put(headers, COUNT, Integer.toString(replayNumber));
    put(headers, TIME, Long.toString(clock.millis()));
    put(headers, SOURCE_PARTITION, Integer.toString(r.partition()));
    put(headers, SOURCE_OFFSET, Long.toString(r.offset()));
    return new Plan.Send(
        new ProducerRecord<>(target.get(), partition(r), r.key(), r.value(), headers),
        replayNumber);
  }

  /**
   * Back to the partition it came from ({@code rr.dlt.source.partition}) when it goes back to its
   * source topic, so a job's duplicates meet the ledger partition that knows it; to a {@code --to}
   * topic, or without the header, the producer's partitioner decides.
   */
  private Integer partition(ConsumerRecord<byte[], byte[]> r) {
    if (toTopic.isPresent()) {
      return null;
    }
    String source = DltRecordView.text(r.headers(), DltHeaders.SOURCE_PARTITION);
    try {
      int p = source == null ? -1 : Integer.parseInt(source.strip());
      return p >= 0 ? p : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean isProvenance(String key) {
    return key.equals(COUNT)
        || key.equals(TIME)
        || key.equals(SOURCE_OFFSET)
        || key.equals(SOURCE_PARTITION);
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
