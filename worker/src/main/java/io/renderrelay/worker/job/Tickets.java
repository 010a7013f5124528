package io.renderrelay.worker.job;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.TicketKind;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.job.submit.SubmitWord;
import io.renderrelay.worker.ledger.LedgerReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A poll ticket, checked against the ledger (stale ones dropped) and handed to the stage the job is
 * in: a former owner's word or a due retry to the submit, a due poll to the poll stage.
 */
final class Tickets {

  private final JobRecords records;
  private final LedgerReader ledger;
  private final SubmitSteps submits;
  private final PollSteps polls;
  private final DeadLettering deadLettering;
  private final JobListener listener;
  private final Clock clock;

  Tickets(
      JobRecords records,
      LedgerReader ledger,
      SubmitSteps submits,
      PollSteps polls,
      DeadLettering deadLettering,
      JobListener listener,
      Clock clock) {
    this.records = records;
    this.ledger = ledger;
    this.submits = submits;
    this.polls = polls;
    this.deadLettering = deadLettering;
    this.listener = listener;
    this.clock = clock;
  }

  StepResult ticket(JobStep step, ConsumerRecord<byte[], byte[]> r) {
    PollTicket t;
    try {
      t = records.decodeTicket(r.value());
    } catch (RuntimeException e) {
      return deadLettering
          .record(step, r, DeadLetterReason.UNDECODABLE_TICKET, e.getMessage(), e)
          .done();
    }
    Optional<JobState> known = ledger.get(r.partition(), t.getJobId());
    if (known.isEmpty()) {
      listener.staleTicket();
      return StepResult.done();
    }
    JobState job = known.get();
    Optional<SubmitWord> word = SubmitWord.of(r.headers());
    if (word.isPresent()) {
      return submits.word(step, job, word.get());
    }
    boolean scheduled = t.getKind() == TicketKind.SCHEDULED;
    return switch (job.getPhase()) {
      case QUEUED -> scheduled ? submits.intent(step, job) : StepResult.done();
      case SUBMITTING ->
          job.getTaskId() == null && scheduled ? submits.unresolved(step, job) : StepResult.done();
      case POLLING -> due(step, r, t, job);
      default -> {
        listener.staleTicket();
        yield StepResult.done();
      }
    };
  }

  private StepResult due(
      JobStep step, ConsumerRecord<byte[], byte[]> r, PollTicket t, JobState job) {
    if (t.getKind() == TicketKind.CALLBACK) {
      listener.callbackPoll();
      return polls.poll(step, job, TicketKind.CALLBACK, Duration.ZERO);
    }
    if (t.getSeq() != job.getPollSeq()) {
      listener.staleTicket();
      return StepResult.done();
    }
    Duration left = JobRecords.waitLeft(r.headers());
    if (!left.isZero()) {
      // a leg of a longer wait: on to the next tier, no provider request
      return step.record(
              records.nextLeg(r.partition(), job.getJobId(), t.getSeq(), clock.instant(), left))
          .done();
    }
    return polls.poll(step, job, TicketKind.SCHEDULED, records.delayOf(r.topic()));
  }
}
