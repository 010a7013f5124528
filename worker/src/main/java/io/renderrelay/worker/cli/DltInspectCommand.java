package io.renderrelay.worker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.renderrelay.client.DltHeaders;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code render-relay dlt inspect}: one dead-letter record in full. */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description = {
      "Show one dead-letter record in full: every header, and the value decoded from"
          + " Confluent-framed Avro to JSON through the schema registry.",
      "A value that does not decode is shown as text/hex/base64 with the reason."
    })
final class DltInspectCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin GlobalOptions global;

  @Option(names = "--partition", required = true, paramLabel = "P", description = "DLT partition.")
  int partition;

  @Option(
      names = "--offset",
      required = true,
      paramLabel = "O",
      description = "Offset in that partition.")
  long offset;

  @Option(names = "--json", description = "Print one JSON document (record, headers, value).")
  boolean json;

  private final CliContext ctx;

  DltInspectCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws JsonProcessingException {
    if (partition < 0 || offset < 0) {
      throw new CliUsageException("--partition and --offset must be >= 0");
    }
    try (ClientFactory clients = ctx.clients().apply(global);
        Consumer<byte[], byte[]> consumer = clients.consumer("dlt-inspect")) {
      DltReader reader =
          new DltReader(
              consumer, global.topics().deadLetter(), ctx.nanoTime(), Duration.ofSeconds(30));
      ConsumerRecord<byte[], byte[]> r = reader.fetch(partition, offset);
      ValueDecoder decoder =
          new ValueDecoder(
              clients.hasRegistry()
                  ? Optional.of(clients.avroDeserializer(false))
                  : Optional.empty());
      String sourceTopic = DltRecordView.text(r.headers(), DltHeaders.SOURCE_TOPIC);
      ValueDecoder.Decoded value =
          decoder.decode(sourceTopic == null ? r.topic() : sourceTopic, r.headers(), r.value());
      print(DltRecordView.of(r), value);
    }
    return 0;
  }

  private void print(DltRecordView v, ValueDecoder.Decoded value) throws JsonProcessingException {
    PrintWriter out = ctx.out();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("topic", global.topics().deadLetter());
      doc.putAll(v.summary());
      doc.put(
          "headers",
          v.headers().stream().map(h -> List.of(h.name(), String.valueOf(h.value()))).toList());
      doc.put("value", value.toMap());
      out.println(JSON.writeValueAsString(doc));
      out.flush();
      return;
    }
    out.println(
        "record   "
            + global.topics().deadLetter()
            + "/"
            + v.partition()
            + "@"
            + v.offset()
            + "  time="
            + v.timestamp()
            + "  jobId="
            + (v.jobId() == null ? "-" : v.jobId()));
    out.println("source   " + v.source());
    out.println("headers");
    v.headers().forEach(h -> out.println("  " + h.name() + ": " + h.value()));
    switch (value) {
      case ValueDecoder.Decoded.Avro a -> {
        out.println("value    Confluent Avro, schema id " + a.schemaId() + ", " + a.schemaName());
        out.println(JSON.writeValueAsString(a.json()));
      }
      case ValueDecoder.Decoded.Raw raw -> {
        out.println("value    not decoded: " + raw.why());
        raw.toMap()
            .forEach(
                (k, val) -> {
                  if (List.of("text", "hex", "base64").contains(k)) {
                    out.println("  " + k + ": " + val);
                  }
                });
      }
      case ValueDecoder.Decoded.Null n -> out.println("value    none (null)");
    }
    out.flush();
  }
}
