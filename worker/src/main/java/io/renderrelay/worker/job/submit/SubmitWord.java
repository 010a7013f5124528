package io.renderrelay.worker.job.submit;

import io.renderrelay.avro.JobState;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A former owner's word on a submit whose intent it committed: "not sent" (it did not POST, or the
 * provider took nothing) or "sent, task X". It travels as a callback ("poll now") ticket with
 * headers, sent outside any transaction, so a fenced owner can still say it; the job's present
 * owner acts on it only while the job is SUBMITTING without a task id in the same attempt. A job
 * found so after a takeover waits a bounded time for this word before it is declared AMBIGUOUS.
 *
 * @param intentAt the intent's ledger stamp ({@code updatedAt} of the SUBMITTING entry, on the
 *     fleet timeline): it names one intent, where the attempt count would not (a withdrawn intent
 *     gives its attempt back)
 * @param taskId the task the POST created; empty when nothing was sent
 */
public record SubmitWord(long intentAt, Optional<String> taskId) {

  static final String WORD = "rr.submit.word";
  static final String INTENT = "rr.submit.intent-at";
  static final String TASK_ID = "rr.submit.task-id";

  static SubmitWord notSent(JobState intent) {
    return new SubmitWord(intent.getUpdatedAt().toEpochMilli(), Optional.empty());
  }

  public static SubmitWord sent(JobState intent, String taskId) {
    return new SubmitWord(intent.getUpdatedAt().toEpochMilli(), Optional.of(taskId));
  }

  /** True when this word is about {@code job}'s present intent. */
  boolean about(JobState job) {
    return job.getUpdatedAt().toEpochMilli() == intentAt;
  }

  /** The word as headers on {@code ticket}. */
  public ProducerRecord<byte[], byte[]> on(ProducerRecord<byte[], byte[]> ticket) {
    ticket.headers().add(WORD, bytes(taskId.isPresent() ? "sent" : "not-sent"));
    ticket.headers().add(INTENT, bytes(Long.toString(intentAt)));
    taskId.ifPresent(t -> ticket.headers().add(TASK_ID, bytes(t)));
    return ticket;
  }

  /** The word a consumed ticket carries, if any (a malformed one is none). */
  public static Optional<SubmitWord> of(Headers headers) {
    Optional<String> word = text(headers.lastHeader(WORD));
    Optional<String> intent = text(headers.lastHeader(INTENT));
    if (word.isEmpty() || intent.isEmpty() || !intent.get().matches("-?\\d{1,18}")) {
      return Optional.empty();
    }
    long at = Long.parseLong(intent.get());
    return switch (word.get()) {
      case "not-sent" -> Optional.of(new SubmitWord(at, Optional.empty()));
      case "sent" -> text(headers.lastHeader(TASK_ID)).map(t -> new SubmitWord(at, Optional.of(t)));
      default -> Optional.empty();
    };
  }

  private static Optional<String> text(Header h) {
    return h == null || h.value() == null || h.value().length == 0
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
