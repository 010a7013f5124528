package io.renderrelay.worker.cli;

import io.renderrelay.client.DltHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A dead-letter record as an operator reads it: where it sits in the DLT, its jobId (the key), and
 * the {@code rr.dlt.*} headers that say why it is there and where it came from.
 *
 * @param sourcePartition {@code null} when the header is missing
 * @param sourceOffset {@code null} when the header is missing
 */
record DltRecordView(
    int partition,
    long offset,
    Instant timestamp,
    String jobId,
    String reason,
    String exception,
    String detail,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    int replayCount,
    List<HeaderView> headers,
    int valueSize) {

  /** Header name of the replay counter (see {@link ReplayPlanner}). */
  public static final String REPLAY_COUNT = DltHeaders.REPLAY_COUNT;

  /** One header, shown as text or hex. */
  public record HeaderView(String name, String value) {}

  public static DltRecordView of(ConsumerRecord<byte[], byte[]> r) {
    Headers h = r.headers();
    List<HeaderView> all = new ArrayList<>();
    for (Header header : h) {
      all.add(new HeaderView(header.key(), Bytes.display(header.value())));
    }
    return new DltRecordView(
        r.partition(),
        r.offset(),
        Instant.ofEpochMilli(r.timestamp()),
        r.key() == null ? null : Bytes.display(r.key()),
        text(h, DltHeaders.REASON),
        text(h, DltHeaders.EXCEPTION),
        text(h, DltHeaders.DETAIL),
        text(h, DltHeaders.SOURCE_TOPIC),
        parseInt(text(h, DltHeaders.SOURCE_PARTITION)),
        parseLong(text(h, DltHeaders.SOURCE_OFFSET)),
        replayCount(h),
        List.copyOf(all),
        r.value() == null ? -1 : r.value().length);
  }

  /** The text of the last header with this name, or {@code null}. */
  public static String text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** How often this record was replayed before (0 when never). */
  public static int replayCount(Headers headers) {
    Integer n = parseInt(text(headers, REPLAY_COUNT));
    return n == null ? 0 : n;
  }

  /** {@code topic/partition@offset} of the source, or {@code -} when unknown. */
  public String source() {
    if (sourceTopic == null) {
      return "-";
    }
    return sourceTopic
        + (sourcePartition == null ? "" : "/" + sourcePartition)
        + (sourceOffset == null ? "" : "@" + sourceOffset);
  }

  /** One greppable line: {@code key=value} pairs, the detail quoted and cut to detailWidth. */
  public String line(int detailWidth) {
    return "partition="
        + partition
        + " offset="
        + offset
        + " time="
        + timestamp
        + " jobId="
        + orDash(jobId)
        + " reason="
        + orDash(reason)
        + " source="
        + source()
        + " exception="
        + orDash(exception)
        + (replayCount > 0 ? " replays=" + replayCount : "")
        + " detail=\""
        + orEmpty(Bytes.truncate(detail, detailWidth)).replace('\n', ' ').replace("\"", "'")
        + "\"";
  }

  /** The summary as an ordered map (one JSON line in {@code dlt list --json}). */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("partition", partition);
    m.put("offset", offset);
    m.put("timestamp", timestamp.toString());
    m.put("jobId", jobId);
    m.put("reason", reason);
    m.put("sourceTopic", sourceTopic);
    m.put("sourcePartition", sourcePartition);
    m.put("sourceOffset", sourceOffset);
    m.put("exception", exception);
    m.put("detail", detail);
    m.put("replayCount", replayCount);
    m.put("valueBytes", valueSize);
    return m;
  }

  private static String orDash(String s) {
    return s == null ? "-" : s.replace(' ', '_');
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static Integer parseInt(String s) {
    try {
      return s == null ? null : Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Long parseLong(String s) {
    try {
      return s == null ? null : Long.valueOf(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
