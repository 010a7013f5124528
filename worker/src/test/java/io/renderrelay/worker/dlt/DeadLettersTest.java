package io.renderrelay.worker.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

  private final DeadLetters letters =
      new DeadLetters(
          "render.dlt", Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC), 10_000);

  private static ConsumerRecord<byte[], byte[]> source(byte[] key, byte[] value) {
    ConsumerRecord<byte[], byte[]> r =
        new ConsumerRecord<>("render.commands.restyle", 3, 42L, key, value);
    r.headers().add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
    return r;
  }

  private static String header(ProducerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Test
  void keepsTheOriginalKeyValueAndHeadersAndSaysWhatAndWhere() {
    byte[] value = {0, 1, 2, 3};
    ProducerRecord<byte[], byte[]> r =
        letters.of(
            source("job-1".getBytes(StandardCharsets.UTF_8), value),
            DeadLetterReason.UNDECODABLE,
            "bad",
            null);
    assertThat(r.topic()).isEqualTo("render.dlt");
    assertThat(r.key()).isEqualTo("job-1".getBytes(StandardCharsets.UTF_8));
    assertThat(r.value()).isEqualTo(value);
    assertThat(header(r, "trace")).isEqualTo("t-1");
    assertThat(header(r, DltHeaders.REASON)).isEqualTo("UNDECODABLE");
    assertThat(header(r, DltHeaders.DETAIL)).isEqualTo("bad");
    assertThat(header(r, DltHeaders.SOURCE_PARTITION)).isEqualTo("3");
    assertThat(header(r, DltHeaders.SOURCE_OFFSET)).isEqualTo("42");
  }

  @Test
  void aValueTooLargeToCopyIsLeftOutWithItsSizeChecksumAndLocation() {
    byte[] value = new byte[20_000];
    ProducerRecord<byte[], byte[]> r =
        letters.of(
            source("job-2".getBytes(StandardCharsets.UTF_8), value),
            DeadLetterReason.INVALID_COMMAND,
            "prompt too long",
            null);
    assertThat(r.value()).isNull();
    assertThat(r.key()).isEqualTo("job-2".getBytes(StandardCharsets.UTF_8));
    assertThat(header(r, "trace")).isEqualTo("t-1");
    assertThat(header(r, DltHeaders.REASON)).isEqualTo("INVALID_COMMAND");
    assertThat(header(r, DltHeaders.DETAIL))
        .contains("the value of 20000 bytes (SHA-256 ")
        .contains("render.commands.restyle-3 offset 42")
        .endsWith("prompt too long");
  }

  @Test
  void aKeyTooLargeIsLeftOutToo() {
    byte[] key = new byte[15_000];
    ProducerRecord<byte[], byte[]> r =
        letters.of(
            source(key, new byte[] {1}), DeadLetterReason.INVALID_COMMAND, "key too long", null);
    assertThat(r.key()).isNull();
    assertThat(r.value()).isNull();
    assertThat(header(r, DltHeaders.DETAIL)).contains("the key of 15000 bytes");
  }
}
