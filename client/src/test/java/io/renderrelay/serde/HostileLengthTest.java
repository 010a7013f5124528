package io.renderrelay.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.RestyleCommand;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Crafted length prefixes inside valid Confluent framing: a string, bytes, map or array that claims
 * billions of entries must fail as malformed without the deserializer allocating for the claim;
 * real collections larger than one decoding chunk still decode.
 */
class HostileLengthTest {

  private static final String TOPIC = "render.commands.restyle";
  private static final long ALLOCATION_BUDGET = 64L << 20;

  private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
  private final ConfluentAvroDeserializer<Object> specific =
      new ConfluentAvroDeserializer<>(registry, true);
  private final ConfluentAvroDeserializer<Object> generic =
      new ConfluentAvroDeserializer<>(registry, false);

  @Test
  void hugeStringLengthPrefixFailsWithoutAllocatingIt() {
    int id = registry.register(TOPIC + "-value", RestyleCommand.getClassSchema());
    // jobId is the first field: a string whose length claims 2_000_000_000 bytes
    byte[] payload = framed(id, zigzag(2_000_000_000L), new byte[] {'a', 'b', 'c'});
    assertMalformedWithinBudget(specific, payload, "2000000000");
  }

  @Test
  void hugeMapCountFailsWithoutAllocatingIt() {
    Schema schema =
        SchemaBuilder.record("WithMap")
            .namespace("test")
            .fields()
            .name("m")
            .type()
            .map()
            .values()
            .stringType()
            .noDefault()
            .endRecord();
    int id = registry.register("maps-value", schema);
    byte[] payload = framed(id, zigzag(1_500_000_000L), new byte[] {2, 'k', 2, 'v'});
    assertMalformedWithinBudget(generic, payload, "");
  }

  @Test
  void hugeArrayCountFailsWithoutAllocatingIt() {
    Schema schema =
        SchemaBuilder.record("WithArray")
            .namespace("test")
            .fields()
            .name("a")
            .type()
            .array()
            .items()
            .longType()
            .noDefault()
            .endRecord();
    int id = registry.register("arrays-value", schema);
    byte[] payload = framed(id, zigzag(2_000_000_000L), new byte[] {2, 4, 6});
    assertMalformedWithinBudget(generic, payload, "");
  }

  @Test
  void hugeBytesLengthFailsWithoutAllocatingIt() {
    Schema schema =
        SchemaBuilder.record("WithBytes")
            .namespace("test")
            .fields()
            .name("b")
            .type()
            .bytesType()
            .noDefault()
            .endRecord();
    int id = registry.register("bytes-value", schema);
    byte[] payload = framed(id, zigzag(1_900_000_000L), new byte[] {1, 2, 3});
    assertMalformedWithinBudget(generic, payload, "");
  }

  @Test
  void largeRealCollectionsNestedCollectionsAndZeroSizeItemsStillDecode() {
    Schema schema =
        SchemaBuilder.record("Big")
            .namespace("test")
            .fields()
            .name("m")
            .type()
            .map()
            .values()
            .stringType()
            .noDefault()
            .name("nested")
            .type()
            .array()
            .items()
            .array()
            .items()
            .longType()
            .noDefault()
            .name("nulls")
            .type()
            .array()
            .items()
            .nullType()
            .noDefault()
            .name("s")
            .type()
            .stringType()
            .noDefault()
            .endRecord();
    Map<String, String> map = new HashMap<>();
    List<List<Long>> nested = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      map.put("k" + i, "v" + i);
      nested.add(List.of((long) i, (long) i * 7, -1L));
    }
    nested.add(List.of());
    GenericRecord rec = new GenericData.Record(schema);
    rec.put("m", map);
    rec.put("nested", nested);
    rec.put("nulls", Collections.nCopies(10_000, null));
    rec.put("s", "x".repeat(10_000));
    ConfluentAvroSerializer<Object> serializer =
        new ConfluentAvroSerializer<>(registry, SubjectNameStrategy.TOPIC_NAME, true, false);
    byte[] bytes = serializer.serialize("big", rec);

    GenericRecord back = (GenericRecord) generic.deserialize("big", bytes);
    Map<String, String> backMap = new HashMap<>();
    ((Map<?, ?>) back.get("m")).forEach((k, v) -> backMap.put(k.toString(), v.toString()));
    assertThat(backMap).isEqualTo(map);
    assertThat((List<?>) back.get("nested")).hasSize(3_001);
    assertThat(back.get("nested").toString()).isEqualTo(nested.toString());
    assertThat((List<?>) back.get("nulls")).hasSize(10_000);
    assertThat(back.get("s").toString()).hasSize(10_000);
  }

  @Test
  void endlessZeroSizeItemsAreCapped() {
    Schema schema =
        SchemaBuilder.record("Nulls")
            .namespace("test")
            .fields()
            .name("a")
            .type()
            .array()
            .items()
            .nullType()
            .noDefault()
            .endRecord();
    int id = registry.register("nulls-value", schema);
    byte[] payload = framed(id, zigzag(2_000_000_000L), new byte[] {0});
    assertMalformedWithinBudget(generic, payload, "more than");
  }

  private static void assertMalformedWithinBudget(
      ConfluentAvroDeserializer<Object> deserializer, byte[] payload, String mentions) {
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    long before = mx.getThreadAllocatedBytes(tid);
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, payload))
        .isInstanceOf(MalformedAvroException.class)
        .hasMessageContaining(mentions);
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    assertThat(allocated)
        .as("bytes allocated while rejecting a %d-byte payload", payload.length)
        .isLessThan(ALLOCATION_BUDGET);
  }

  private static byte[] framed(int id, byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Avro's zig-zag varint encoding of a long. */
  static byte[] zigzag(long value) {
    long n = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    return out.toByteArray();
  }
}
