package io.renderrelay.worker.dlt;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original key, value and headers, plus headers that say what
 * went wrong and where the record came from (Spring Kafka's DeadLetterPublishingRecoverer does
 * the same).
 */
public final class DeadLetters {

  private static final int MAX_DETAIL = 2000;

  private final String topic;
  private final Clock clock;

  public DeadLetters(String topic, Clock clock) {
    this.topic = topic;
    this.clock = clock;
  }

  public ProducerRecord<byte[], byte[]> of(
      ConsumerRecord<byte[], byte[]> source, DeadLetterReason reason, String detail, Throwable error) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : source.headers()) {
      headers.add(h);
    }
    put(headers, DltHeaders.REASON, reason.name());
    put(headers, DltHeaders.DETAIL, truncate(detail));
    if (error != null) {
      put(headers, DltHeaders.EXCEPTION, error.getClass().getName());
    }
    put(headers, DltHeaders.SOURCE_TOPIC, source.topic());
    put(headers, DltHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
    put(headers, DltHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
    put(headers, DltHeaders.TIME, Long.toString(clock.millis()));
    return new ProducerRecord<>(topic, null, source.key(), source.value(), headers);
  }

  /** A dead-letter record for a command rebuilt from the ledger (e.g. an ambiguous resubmit). */
  public ProducerRecord<byte[], byte[]> ofCommand(
      String sourceTopic, byte[] key, byte[] value, DeadLetterReason reason, String detail) {
    RecordHeaders headers = new RecordHeaders();
    put(headers, DltHeaders.REASON, reason.name());
    put(headers, DltHeaders.DETAIL, truncate(detail));
    put(headers, DltHeaders.SOURCE_TOPIC, sourceTopic);
    put(headers, DltHeaders.TIME, Long.toString(clock.millis()));
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  private static void put(RecordHeaders headers, String name, String value) {
    headers.remove(name);
    headers.add(name, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String truncate(String s) {
    String v = s == null ? "" : s;
    return v.length() <= MAX_DETAIL ? v : v.substring(0, MAX_DETAIL) + "...";
  }
}
