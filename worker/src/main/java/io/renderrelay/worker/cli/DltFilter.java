package io.renderrelay.worker.cli;

import io.renderrelay.client.DltHeaders;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which dead-letter records a command selects. Every criterion is optional; an empty set or map
 * selects everything; criteria combine with AND, values within one criterion with OR (headers:
 * every given header must match exactly).
 *
 * @param reasons {@code rr.dlt.reason} values
 * @param sourceTopics {@code rr.dlt.source.topic} values (the job types, resolved to topics)
 * @param since inclusive lower bound of the DLT record timestamp
 * @param until exclusive upper bound of the DLT record timestamp
 * @param jobIds record keys
 * @param headers header name to exact (UTF-8) value; the last header of that name counts
 */
record DltFilter(
    Set<String> reasons,
    Set<String> sourceTopics,
    Optional<Instant> since,
    Optional<Instant> until,
    Set<String> jobIds,
    Map<String, String> headers) {

  public DltFilter {
    reasons = Set.copyOf(reasons);
    sourceTopics = Set.copyOf(sourceTopics);
    jobIds = Set.copyOf(jobIds);
    headers = Map.copyOf(headers);
  }

  /** Selects every record. */
  public static DltFilter all() {
    return new DltFilter(
        Set.of(), Set.of(), Optional.empty(), Optional.empty(), Set.of(), Map.of());
  }

  /** The criteria in words, e.g. {@code reason=[UNDECODABLE] jobId=[j1]}, or "all records". */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    append(sb, "reason", reasons);
    append(sb, "sourceTopic", sourceTopics);
    append(sb, "jobId", jobIds);
    since.ifPresent(s -> sb.append(" since=").append(s));
    until.ifPresent(u -> sb.append(" until=").append(u));
    if (!headers.isEmpty()) {
      sb.append(" headers=").append(new java.util.TreeMap<>(headers));
    }
    return sb.isEmpty() ? "all records" : sb.toString().trim();
  }

  private static void append(StringBuilder sb, String name, Set<String> values) {
    if (!values.isEmpty()) {
      sb.append(' ').append(name).append('=').append(new java.util.TreeSet<>(values));
    }
  }

  public boolean matches(ConsumerRecord<byte[], byte[]> r) {
    return oneOf(reasons, DltRecordView.text(r.headers(), DltHeaders.REASON))
        && oneOf(sourceTopics, DltRecordView.text(r.headers(), DltHeaders.SOURCE_TOPIC))
        && oneOf(jobIds, r.key() == null ? null : Bytes.display(r.key()))
        && since.map(s -> r.timestamp() >= s.toEpochMilli()).orElse(true)
        && until.map(u -> r.timestamp() < u.toEpochMilli()).orElse(true)
        && headersMatch(r);
  }

  private boolean headersMatch(ConsumerRecord<byte[], byte[]> r) {
    for (Map.Entry<String, String> e : headers.entrySet()) {
      Header h = r.headers().lastHeader(e.getKey());
      if (h == null
          || h.value() == null
          || !Arrays.equals(
              h.value(), e.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
        return false;
      }
    }
    return true;
  }

  private static boolean oneOf(Set<String> allowed, String value) {
    return allowed.isEmpty() || (value != null && allowed.contains(value));
  }
}
