package io.renderrelay.e2e.chaos;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** The dead-letter side of a chaos check. */
final class DeadLetterAudit {
  private DeadLetterAudit() {}

  /**
   * Reads render.dlt: every record carries reason, detail and source headers, and every job that
   * ended AMBIGUOUS has its AMBIGUOUS_SUBMIT record; counts go to {@code details}.
   */
  static void check(
      String bootstrapServers,
      Duration readTimeout,
      Set<String> ambiguousJobs,
      Findings findings,
      Map<String, Long> details) {
    List<ConsumerRecord<byte[], byte[]>> dlt =
        TopicReader.readAll(bootstrapServers, "render.dlt", true, readTimeout);
    Set<String> ambiguousInDlt = new HashSet<>();
    long withoutReason = 0;
    for (ConsumerRecord<byte[], byte[]> r : dlt) {
      String reason = header(r, DltHeaders.REASON);
      String detail = header(r, DltHeaders.DETAIL);
      if (reason.isBlank() || detail.isBlank() || header(r, DltHeaders.SOURCE_TOPIC).isBlank()) {
        withoutReason++;
        findings.violation(
            "DLT record at offset " + r.offset() + " lacks reason/detail/source headers");
      }
      if ("AMBIGUOUS_SUBMIT".equals(reason) && r.key() != null) {
        ambiguousInDlt.add(new String(r.key(), StandardCharsets.UTF_8));
      }
    }
    long missing = ambiguousJobs.stream().filter(j -> !ambiguousInDlt.contains(j)).count();
    if (missing > 0) {
      findings.violation(missing + " AMBIGUOUS jobs have no AMBIGUOUS_SUBMIT record on the DLT");
    }
    details.put("dlt_records", (long) dlt.size());
    details.put("dlt_without_reason", withoutReason);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }
}
