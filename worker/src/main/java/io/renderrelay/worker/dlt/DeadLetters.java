package io.renderrelay.worker.dlt;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original key, value and headers, plus headers that say what went
 * wrong and where the record came from (Spring Kafka's DeadLetterPublishingRecoverer does the
 * same).
 */
public final class DeadLetters {

  /**
   * Largest dead letter written (key, value and headers): below Kafka's default 1 MiB producer and
   * broker limits, so a record that was itself near the limit cannot make its dead-letter copy
   * unsendable (which would fail every transaction and stall the worker).
   */
  public static final int DEFAULT_MAX_RECORD_BYTES = 1_000_000;

  private static final int MAX_DETAIL = 2000;

  private final String topic;
  private final Clock clock;
  private final int maxRecordBytes;

  public DeadLetters(String topic, Clock clock) {
    this(topic, clock, DEFAULT_MAX_RECORD_BYTES);
  }

  public DeadLetters(String topic, Clock clock, int maxRecordBytes) {
    this.topic = topic;
    this.clock = clock;
    this.maxRecordBytes = maxRecordBytes;
  }

  /**
   * The original key, value and headers plus the rr.dlt.* headers. When that would exceed the size
   * limit, the value (then the key, then the original headers) is left out and the detail says so,
   * with the value's size and SHA-256 and where the original record is.
   */
  public ProducerRecord<byte[], byte[]> of(
      ConsumerRecord<byte[], byte[]> source,
      DeadLetterReason reason,
      String detail,
      Throwable error) {
    byte[] key = source.key();
    byte[] value = source.value();
    RecordHeaders headers = headers(source, source.headers(), reason, detail, error);
    if (size(key, value, headers) > maxRecordBytes) {
      List<String> omitted = new ArrayList<>();
      if (value != null) {
        omitted.add("the value of " + value.length + " bytes (SHA-256 " + sha256(value) + ")");
        value = null;
      }
      if (key != null && size(key, value, headers) > maxRecordBytes) {
        omitted.add("the key of " + key.length + " bytes");
        key = null;
      }
      if (size(key, value, headers) > maxRecordBytes) {
        omitted.add("the original headers");
      }
      String note =
          String.join(", ", omitted)
              + " left out to keep the dead letter under "
              + maxRecordBytes
              + " bytes; the original is "
              + source.topic()
              + "-"
              + source.partition()
              + " offset "
              + source.offset()
              + ". ";
      headers =
          headers(
              source,
              omitted.contains("the original headers") ? new RecordHeaders() : source.headers(),
              reason,
              note + detail,
              error);
    }
    return new ProducerRecord<>(topic, null, key, value, headers);
  }

  private RecordHeaders headers(
      ConsumerRecord<byte[], byte[]> source,
      Iterable<Header> original,
      DeadLetterReason reason,
      String detail,
      Throwable error) {
    RecordHeaders headers = new RecordHeaders();
    for (Header h : original) {
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
    return headers;
  }

  /** Bytes of key, value and headers (without Kafka's small per-record overhead). */
  private static long size(byte[] key, byte[] value, RecordHeaders headers) {
    long n = (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
    for (Header h : headers) {
      n += h.key().length() + (h.value() == null ? 0 : h.value().length) + 8;
    }
    return n + 128;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
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
