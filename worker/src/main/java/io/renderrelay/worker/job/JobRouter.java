package io.renderrelay.worker.job;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.engine.Step;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.engine.Work;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.Intake;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.ledger.LedgerReader;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The job logic behind the engine: a command record goes to {@link Intake}, a poll ticket to the
 * stage its job is in ({@link Tickets}); a step that failed for good ends its job here.
 */
public final class JobRouter implements RecordRouter {

  private final Set<String> commandTopics;
  private final LedgerReader ledger;
  private final Transitions transitions;
  private final DeadLettering deadLettering;
  private final Intake intake;
  private final SubmitSteps submits;
  private final Tickets tickets;

  /**
   * @param commandTopics the topics whose records are commands (any other record is a ticket)
   * @param intake where a command record enters
   * @param submits the submit stage (a ticket of a job not yet polling goes there)
   * @param polls the poll stage
   */
  public JobRouter(
      Set<String> commandTopics,
      LedgerReader ledger,
      JobRecords records,
      Transitions transitions,
      DeadLettering deadLettering,
      Intake intake,
      SubmitSteps submits,
      PollSteps polls,
      JobListener listener,
      Clock clock) {
    this.commandTopics = Set.copyOf(commandTopics);
    this.ledger = ledger;
    this.transitions = transitions;
    this.deadLettering = deadLettering;
    this.intake = intake;
    this.submits = submits;
    this.tickets = new Tickets(records, ledger, submits, polls, deadLettering, listener, clock);
  }

  /**
   * Says "not sent" for the submits whose step was dropped or frozen past its permit; the
   * composition root runs it every second.
   */
  public void sweepAbandonedSubmits() {
    submits.sweepAbandoned();
  }

  @Override
  public Step route(ConsumerRecord<byte[], byte[]> r, Lease lease) {
    if (commandTopics.contains(r.topic())) {
      return () -> intake.command(JobStep.on(r.partition(), lease), r);
    }
    return () -> tickets.ticket(JobStep.on(r.partition(), lease), r);
  }

  /**
   * A step failed for good. A job left SUBMITTING without a task id (the paid half failed after its
   * intent was committed) ends as AMBIGUOUS, with its one terminal event and DLT record, as the
   * restart path does; any other record is dead-lettered, and a running job it belongs to (polling,
   * copying, queued) ends FAILED with its one terminal event.
   */
  @Override
  public StepResult giveUp(Work work, Throwable error) {
    int partition = work.record().partition();
    Optional<JobState> job =
        work.key().isEmpty() ? Optional.empty() : ledger.get(partition, work.key());
    JobStep step = JobStep.on(partition, Lease.always());
    if (job.isPresent()
        && job.get().getPhase() == JobPhase.SUBMITTING
        && job.get().getTaskId() == null) {
      return transitions.ambiguous(
          step,
          job.get(),
          "the submit step failed after its intent was committed ("
              + error
              + "): the provider may or may not have created (and billed) a task; not"
              + " resubmitted");
    }
    deadLettering.record(
        step, work.record(), DeadLetterReason.PROCESSING_ERROR, String.valueOf(error), error);
    if (job.isEmpty() || Jobs.terminal(job.get().getPhase())) {
      return step.done();
    }
    // every job gets exactly one terminal event: a running job (polling, copying, queued)
    // whose step failed for good ends here, never left without one
    JobState running = job.get();
    FailureReason reason =
        running.getPhase() == JobPhase.COPYING ? FailureReason.COPY_FAILED : FailureReason.UNKNOWN;
    String task =
        running.getTaskId() == null
            ? "no provider task was created"
            : "provider task " + running.getTaskId() + " was created (paid); not resubmitted";
    return transitions.fail(
        step,
        running,
        Failure.permanent(
                reason,
                "the " + running.getPhase() + " step failed for good (" + error + "); " + task)
            .status(running.getLastProviderStatus()));
  }
}
