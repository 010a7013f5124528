package io.renderrelay.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Length and count prefixes that promise more than the payload holds are rejected before Avro
 * allocates for them (the fuzzer's first finding: 22 bytes that claimed a 600 MB string).
 */
class ConfluentAvroDeserializerLimitsTest {

  private static final long ALLOCATION_BUDGET = 16L << 20;
  private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
  private final ConfluentAvroDeserializer<Object> deserializer =
      new ConfluentAvroDeserializer<>(registry, false);

  @Test
  void hugeStringLengthFailsWithoutAllocatingIt() throws IOException {
    Schema schema = SchemaBuilder.record("S").fields().requiredString("s").endRecord();
    byte[] payload = payload(registry.register("t-value", schema), 1_500_000_000L);
    assertRejectedCheaply(payload);
  }

  @Test
  void hugeMapCountFailsWithoutAllocatingIt() throws IOException {
    Schema schema =
        SchemaBuilder.record("M")
            .fields()
            .name("m")
            .type()
            .map()
            .values()
            .stringType()
            .noDefault()
            .endRecord();
    byte[] payload = payload(registry.register("t-value", schema), 1L << 30, 'k', 'v');
    assertRejectedCheaply(payload);
  }

  @Test
  void mapBlockWithByteSizeIsWalkedItemByItem() throws IOException {
    // a block of -1 items "of 7 bytes" (key "k", then a value length claiming 1.5 GB), then the
    // end of the map: skipping the block by its byte size passes, reading it item by item would
    // allocate the string (the fuzzer's second finding, after a GenericDatumReader.skip pre-pass)
    Schema schema =
        SchemaBuilder.record("M")
            .fields()
            .name("m")
            .type()
            .map()
            .values()
            .stringType()
            .noDefault()
            .endRecord();
    byte[] payload =
        payload(registry.register("t-value", schema), -1L, 7L, 'k', 1_500_000_000L, 0L);
    assertRejectedCheaply(payload);
  }

  @Test
  void hugeArrayCountFailsWithoutAllocatingIt() throws IOException {
    Schema schema =
        SchemaBuilder.record("A")
            .fields()
            .name("a")
            .type()
            .array()
            .items()
            .longType()
            .noDefault()
            .endRecord();
    byte[] payload = payload(registry.register("t-value", schema), Integer.MAX_VALUE - 16L, 1L);
    assertRejectedCheaply(payload);
  }

  private void assertRejectedCheaply(byte[] payload) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertThatThrownBy(() -> deserializer.deserialize("t", payload))
        .isInstanceOf(MalformedAvroException.class)
        .hasMessageContaining("does not decode");
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated)
        .as("bytes allocated for a %d-byte payload", payload.length)
        .isLessThan(ALLOCATION_BUDGET);
  }

  /** Header plus the given Avro longs (chars are written as one-character strings). */
  private static byte[] payload(int id, Object... values) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {0, (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id});
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    for (Object v : values) {
      if (v instanceof Character c) {
        enc.writeString(c.toString());
      } else {
        enc.writeLong((Long) v);
      }
    }
    enc.flush();
    return out.toByteArray();
  }
}
