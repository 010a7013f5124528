package io.renderrelay.worker.job;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.TicketKind;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.Lease;
import io.renderrelay.worker.engine.RecordRouter;
import io.renderrelay.worker.engine.Step;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.engine.Work;
import io.renderrelay.worker.job.core.JobRecords;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.CommandDecoder.Decoded;
import io.renderrelay.worker.job.intake.PreflightSteps;
import io.renderrelay.worker.job.poll.PollSteps;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.job.submit.SubmitWord;
import io.renderrelay.worker.preflight.Preflight;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job logic behind the engine: commands are decoded, checked against the ledger (one task per
 * jobId, ever), validated and submitted; poll tickets are checked against the ledger (stale ones
 * dropped) and polled.
 */
public final class JobRouter implements RecordRouter {

  private static final Logger log = LoggerFactory.getLogger(JobRouter.class);

  private static final Duration REGISTRY_RETRY = Duration.ofSeconds(2);

  /** Header of a forwarded command: the partition it first arrived on. */
  public static final String FORWARDED_FROM = "rr.forwarded.from.partition";

  /** A key longer than this cannot be a jobId: dead-lettered without a ledger entry or event. */
  static final int MAX_KEY_BYTES = 1024;

  /** A rejected command larger than this is not copied into its ledger entry and event. */
  static final int MAX_KEPT_REJECTED_BYTES = 64 * 1024;

  /** Longest failure message of a rejected command (its violations can be many). */
  static final int MAX_REJECTION_MESSAGE = 4000;

  private final JobContext ctx;
  private final Transitions transitions;
  private final SubmitSteps submits;
  private final PollSteps polls;
  private final PreflightSteps preflights;

  public JobRouter(JobContext ctx) {
    this(ctx, Optional.empty());
  }

  /** With the input pre-flight check (issue 14) before a new job's submit intent. */
  public JobRouter(JobContext ctx, Optional<Preflight> preflight) {
    this.ctx = ctx;
    this.transitions = new Transitions(ctx);
    this.submits = new SubmitSteps(ctx, transitions);
    this.polls = new PollSteps(ctx, transitions, submits);
    this.preflights = new PreflightSteps(ctx, transitions, submits, preflight);
  }

  /**
   * Says "not sent" for the submits whose step was dropped or frozen past its permit (see {@code
   * PendingSubmits}); the composition root runs it every second.
   */
  public void sweepAbandonedSubmits() {
    submits.sweepAbandoned();
  }

  @Override
  public Step route(ConsumerRecord<byte[], byte[]> r, Lease lease) {
    if (ctx.commandTopics().contains(r.topic())) {
      return () -> command(r, lease);
    }
    return () -> ticket(r, lease);
  }

  /**
   * A step failed for good. A job left SUBMITTING without a task id (the paid half failed after its
   * intent was committed) ends as AMBIGUOUS, with its one terminal event and DLT record, as the
   * restart path does; any other record is dead-lettered, and a running job it belongs to (polling,
   * copying, queued) ends FAILED with its one terminal event.
   */
  @Override
  public StepResult giveUp(Work work, Throwable error) {
    Optional<JobState> job =
        work.key().isEmpty()
            ? Optional.empty()
            : ctx.ledger().get(work.record().partition(), work.key());
    if (job.isPresent()
        && job.get().getPhase() == JobPhase.SUBMITTING
        && job.get().getTaskId() == null) {
      return transitions
          .ambiguous(
              StepResult.builder(),
              work.record().partition(),
              job.get(),
              "the submit step failed after its intent was committed ("
                  + error
                  + "): the provider may or may not have created (and billed) a task; not"
                  + " resubmitted")
          .done();
    }
    StepResult.Builder b =
        deadLetter(work.record(), DeadLetterReason.PROCESSING_ERROR, String.valueOf(error), error);
    if (job.isPresent() && !Jobs.terminal(job.get().getPhase())) {
      // every job gets exactly one terminal event: a running job (polling, copying, queued)
      // whose step failed for good ends here, never left without one
      JobState running = job.get();
      FailureReason reason =
          running.getPhase() == JobPhase.COPYING
              ? FailureReason.COPY_FAILED
              : FailureReason.UNKNOWN;
      String task =
          running.getTaskId() == null
              ? "no provider task was created"
              : "provider task " + running.getTaskId() + " was created (paid); not resubmitted";
      transitions.fail(
          b,
          work.record().partition(),
          running,
          reason,
          "the " + running.getPhase() + " step failed for good (" + error + "); " + task,
          Optional.ofNullable(running.getLastProviderStatus()),
          false);
    }
    return b.done();
  }

  private StepResult command(ConsumerRecord<byte[], byte[]> r, Lease lease) {
    if (r.key() == null) {
      return deadLetter(
              r,
              DeadLetterReason.NULL_KEY,
              "command without a key (the key must be the jobId)",
              null)
          .done();
    }
    if (r.key().length > MAX_KEY_BYTES) {
      String detail =
          "record key of "
              + r.key().length
              + " bytes is too long to be a jobId (at most "
              + MAX_KEY_BYTES
              + ")";
      return deadLetter(r, DeadLetterReason.INVALID_COMMAND, detail, null).done();
    }
    String key = new String(r.key(), StandardCharsets.UTF_8);
    int owner = ctx.ownership().owner(r.key());
    if (owner != r.partition() && ctx.ledger().get(r.partition(), key).isEmpty()) {
      return forward(r, owner);
    }
    Decoded decoded = ctx.decoder().decode(r);
    return switch (decoded) {
      case Decoded.RetryLater later -> {
        ctx.listener().registryUnavailable();
        yield StepResult.builder().then(() -> command(r, lease), REGISTRY_RETRY);
      }
      case Decoded.Bad bad -> rejectUndecodable(r, key, bad);
      case Decoded.Ok ok -> accept(r, key, ok.command(), lease);
    };
  }

  /**
   * A command that reached another partition than its jobId's owner (another producer's
   * partitioner, a replay): the same bytes go to the owner partition in this step's transaction,
   * and the source record is done. Its ledger, tickets and every duplicate meet there.
   */
  private StepResult forward(ConsumerRecord<byte[], byte[]> r, int owner) {
    RecordHeaders headers = new RecordHeaders(r.headers().toArray());
    headers.remove(FORWARDED_FROM);
    headers.add(FORWARDED_FROM, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
    log.info(
        "command for {} arrived on {}-{}, forwarded to its owner partition {}",
        new String(r.key(), StandardCharsets.UTF_8),
        r.topic(),
        r.partition(),
        owner);
    return StepResult.builder()
        .record(new ProducerRecord<>(r.topic(), owner, r.key(), r.value(), headers))
        .done();
  }

  private StepResult rejectUndecodable(
      ConsumerRecord<byte[], byte[]> r, String key, Decoded.Bad bad) {
    StepResult.Builder b = deadLetter(r, bad.reason(), bad.detail(), bad.error());
    if (ctx.ledger().get(r.partition(), key).isPresent()) {
      return b.done();
    }
    JobType type =
        r.topic().equals(ctx.records().commandTopic(JobType.ACT_ONE))
            ? JobType.ACT_ONE
            : JobType.RESTYLE;
    Instant now = ctx.clock().instant();
    JobState stub = unknownJob(key, type, now);
    return transitions
        .fail(
            b,
            r.partition(),
            stub,
            FailureReason.INVALID_COMMAND,
            bad.detail(),
            Optional.empty(),
            false)
        .done();
  }

  private StepResult accept(
      ConsumerRecord<byte[], byte[]> r, String key, SpecificRecord command, Lease lease) {
    int p = r.partition();
    Optional<JobState> known = ctx.ledger().get(p, key);
    if (known.isPresent() && !Jobs.endedUnpaid(known.get())) {
      return resume(r, known.get(), lease);
    }
    known.ifPresent(
        k -> log.info("job {} ended unpaid ({}): its command runs again", key, k.getOutcome()));
    Instant now = ctx.clock().instant();
    Instant deadline =
        Jobs.commandDeadline(command)
            .orElse(Jobs.commandRequestedAt(command).plus(ctx.rules().defaultDeadline()));
    JobState job = Jobs.accepted(command, now, deadline);
    if (!key.equals(Jobs.commandJobId(command))) {
      String detail = "record key '" + key + "' differs from the command's jobId";
      StepResult.Builder b = deadLetter(r, DeadLetterReason.KEY_MISMATCH, detail, null);
      return transitions
          .fail(
              b,
              p,
              rejected(r, withId(job, key), now),
              FailureReason.INVALID_COMMAND,
              detail,
              Optional.empty(),
              false)
          .done();
    }
    List<String> problems = ctx.check().problems(command);
    if (!problems.isEmpty()) {
      String detail = brief(String.join("; ", problems));
      StepResult.Builder b = deadLetter(r, DeadLetterReason.INVALID_COMMAND, detail, null);
      return transitions
          .fail(
              b,
              p,
              rejected(r, job, now),
              FailureReason.INVALID_COMMAND,
              detail,
              Optional.empty(),
              false)
          .done();
    }
    return preflights.check(p, job, lease);
  }

  /** A command for a jobId the ledger knows: finish what a restart interrupted, else drop it. */
  private StepResult resume(ConsumerRecord<byte[], byte[]> r, JobState job, Lease lease) {
    if (job.getPhase() == JobPhase.QUEUED) {
      return submits.intent(r.partition(), job, lease);
    }
    if (job.getPhase() == JobPhase.SUBMITTING && job.getTaskId() == null) {
      return submits.unresolved(r.partition(), job, lease);
    }
    ctx.listener().duplicateCommand(job.getJobType());
    return StepResult.done();
  }

  private StepResult ticket(ConsumerRecord<byte[], byte[]> r, Lease lease) {
    PollTicket t;
    try {
      t = ctx.records().decodeTicket(r.value());
    } catch (RuntimeException e) {
      return deadLetter(r, DeadLetterReason.UNDECODABLE_TICKET, e.getMessage(), e).done();
    }
    Optional<JobState> known = ctx.ledger().get(r.partition(), t.getJobId());
    if (known.isEmpty()) {
      ctx.listener().staleTicket();
      return StepResult.done();
    }
    JobState job = known.get();
    Optional<SubmitWord> word = SubmitWord.of(r.headers());
    if (word.isPresent()) {
      return submits.word(r.partition(), job, word.get(), lease);
    }
    switch (job.getPhase()) {
      case QUEUED:
        return t.getKind() == TicketKind.SCHEDULED
            ? submits.intent(r.partition(), job, lease)
            : StepResult.done();
      case SUBMITTING:
        return job.getTaskId() == null && t.getKind() == TicketKind.SCHEDULED
            ? submits.unresolved(r.partition(), job, lease)
            : StepResult.done();
      case POLLING:
        if (t.getKind() == TicketKind.CALLBACK) {
          ctx.listener().callbackPoll();
          return polls.poll(r.partition(), job, TicketKind.CALLBACK, Duration.ZERO, lease);
        }
        if (t.getSeq() != job.getPollSeq()) {
          ctx.listener().staleTicket();
          return StepResult.done();
        }
        Duration left = JobRecords.waitLeft(r.headers());
        if (!left.isZero()) {
          // a leg of a longer wait: on to the next tier, no provider request
          return StepResult.builder()
              .record(
                  ctx.records()
                      .nextLeg(
                          r.partition(), job.getJobId(), t.getSeq(), ctx.clock().instant(), left))
              .done();
        }
        return polls.poll(
            r.partition(), job, TicketKind.SCHEDULED, ctx.records().delayOf(r.topic()), lease);
      default:
        ctx.listener().staleTicket();
        return StepResult.done();
    }
  }

  private StepResult.Builder deadLetter(
      ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason, String detail, Throwable error) {
    ctx.listener().deadLetter(reason);
    return StepResult.builder().record(ctx.deadLetters().of(r, reason, detail, error));
  }

  /**
   * The ledger entry of a command rejected at intake: the command itself, unless the record is so
   * large that its ledger entry or event could exceed the broker's record size (then a stub with
   * the jobId and type only; the original stays in the DLT).
   */
  private JobState rejected(ConsumerRecord<byte[], byte[]> r, JobState job, Instant now) {
    int size = r.value() == null ? 0 : r.value().length;
    return size <= MAX_KEPT_REJECTED_BYTES
        ? job
        : unknownJob(job.getJobId(), job.getJobType(), now);
  }

  private static String brief(String message) {
    return message.length() <= MAX_REJECTION_MESSAGE
        ? message
        : message.substring(0, MAX_REJECTION_MESSAGE) + "... (" + message.length() + " chars)";
  }

  private JobState unknownJob(String jobId, JobType type, Instant now) {
    return JobState.newBuilder()
        .setJobId(jobId)
        .setJobType(type)
        .setPhase(JobPhase.QUEUED)
        .setCreatedAt(now)
        .setUpdatedAt(now)
        .setDeadline(now)
        .setRestyle(type == JobType.RESTYLE ? placeholderRestyle(jobId, now) : null)
        .setActOne(type == JobType.ACT_ONE ? placeholderActOne(jobId, now) : null)
        .build();
  }

  private static io.renderrelay.avro.RestyleCommand placeholderRestyle(String jobId, Instant now) {
    return io.renderrelay.avro.RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("")
        .setPrompt("")
        .setRequestedAt(now)
        .build();
  }

  private static io.renderrelay.avro.ActOneCommand placeholderActOne(String jobId, Instant now) {
    return io.renderrelay.avro.ActOneCommand.newBuilder()
        .setJobId(jobId)
        .setPerformanceVideoUrl("")
        .setCharacterImageUrl("")
        .setRequestedAt(now)
        .build();
  }

  private static JobState withId(JobState job, String key) {
    return JobState.newBuilder(job).setJobId(key).build();
  }
}
