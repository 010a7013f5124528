package io.renderrelay.worker.job;

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
 * @param attempt the job's submit attempt the intent belonged to
 * @param taskId the task the POST created; empty when nothing was sent
 */
record SubmitWord(int attempt, Optional<String> taskId) {

  static final String WORD = "rr.submit.word";
  static final String ATTEMPT = "rr.submit.attempt";
  static final String TASK_ID = "rr.submit.task-id";

  static SubmitWord notSent(int attempt) {
    return new SubmitWord(attempt, Optional.empty());
  }

  static SubmitWord sent(int attempt, String taskId) {
    return new SubmitWord(attempt, Optional.of(taskId));
  }

  /** The word as headers on {@code ticket}. */
  ProducerRecord<byte[], byte[]> on(ProducerRecord<byte[], byte[]> ticket) {
    ticket.headers().add(WORD, bytes(taskId.isPresent() ? "sent" : "not-sent"));
    ticket.headers().add(ATTEMPT, bytes(Integer.toString(attempt)));
    taskId.ifPresent(t -> ticket.headers().add(TASK_ID, bytes(t)));
    return ticket;
  }

  /** The word a consumed ticket carries, if any (a malformed one is none). */
  static Optional<SubmitWord> of(Headers headers) {
    Optional<String> word = text(headers.lastHeader(WORD));
    Optional<String> attempt = text(headers.lastHeader(ATTEMPT));
    if (word.isEmpty() || attempt.isEmpty() || !attempt.get().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    int n = Integer.parseInt(attempt.get());
    return switch (word.get()) {
      case "not-sent" -> Optional.of(notSent(n));
      case "sent" -> text(headers.lastHeader(TASK_ID)).map(t -> sent(n, t));
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
