package io.renderrelay.worker.job.intake;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Ownership;
import io.renderrelay.worker.job.core.Transitions;
import io.renderrelay.worker.job.intake.CommandDecoder.Decoded;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.job.submit.SubmitSteps;
import io.renderrelay.worker.ledger.LedgerReader;
import io.renderrelay.worker.preflight.Preflight;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a command record enters: it is forwarded to its jobId's owner partition, decoded, checked
 * against the ledger (one task per jobId, ever), validated, and handed to the input check and the
 * submit; a command for a job the ledger knows resumes what a restart interrupted.
 */
public final class Intake {

  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  private static final Duration REGISTRY_RETRY = Duration.ofSeconds(2);

  /** Header of a forwarded command: the partition it first arrived on. */
  static final String FORWARDED_FROM = "rr.forwarded.from.partition";

  /** A key longer than this cannot be a jobId: dead-lettered without a ledger entry or event. */
  static final int MAX_KEY_BYTES = 1024;

  /** Longest failure message of a rejected command (its violations can be many). */
  public static final int MAX_REJECTION_MESSAGE = 4000;

  private final Ownership ownership;
  private final LedgerReader ledger;
  private final CommandDecoder decoder;
  private final CommandCheck check;
  private final Duration defaultDeadline;
  private final Rejections rejections;
  private final PreflightSteps preflight;
  private final SubmitSteps submits;
  private final JobListener listener;
  private final Clock clock;

  /**
   * @param defaultDeadline a command's deadline when it names none, after its requestedAt
   * @param actOneTopic the act-one command topic (an undecodable record there is an act-one job)
   * @param accepting false once the worker is stopping (the input check starts nothing then)
   */
  public Intake(
      Ownership ownership,
      LedgerReader ledger,
      CommandDecoder decoder,
      CommandCheck check,
      Duration defaultDeadline,
      String actOneTopic,
      DeadLettering deadLettering,
      Transitions transitions,
      Optional<Preflight> preflight,
      SubmitSteps submits,
      BooleanSupplier accepting,
      JobListener listener,
      Clock clock) {
    this.ownership = ownership;
    this.ledger = ledger;
    this.decoder = decoder;
    this.check = check;
    this.defaultDeadline = defaultDeadline;
    this.rejections = new Rejections(deadLettering, transitions, actOneTopic, clock);
    this.preflight = new PreflightSteps(preflight, transitions, submits, accepting, clock);
    this.submits = submits;
    this.listener = listener;
    this.clock = clock;
  }

  /** Processes one command record (again, after a registry outage). */
  public StepResult command(JobStep step, ConsumerRecord<byte[], byte[]> r) {
    if (r.key() == null) {
      return rejections.deadLetterOnly(
          step, r, DeadLetterReason.NULL_KEY, "command without a key (the key must be the jobId)");
    }
    if (r.key().length > MAX_KEY_BYTES) {
      String detail =
          "record key of "
              + r.key().length
              + " bytes is too long to be a jobId (at most "
              + MAX_KEY_BYTES
              + ")";
      return rejections.deadLetterOnly(step, r, DeadLetterReason.INVALID_COMMAND, detail);
    }
    String key = new String(r.key(), StandardCharsets.UTF_8);
    int owner = ownership.owner(r.key());
    if (owner != r.partition() && ledger.get(r.partition(), key).isEmpty()) {
      return forward(step, r, owner);
    }
    return switch (decoder.decode(r)) {
      case Decoded.RetryLater later -> {
        listener.registryUnavailable();
        yield step.then(next -> command(next, r), REGISTRY_RETRY);
      }
      case Decoded.Bad bad ->
          ledger.get(r.partition(), key).isPresent()
              ? rejections.undecodableKnown(step, r, bad)
              : rejections.undecodable(step, r, key, bad);
      case Decoded.Ok ok -> accept(step, r, key, ok.command());
    };
  }

  /**
   * A command that reached another partition than its jobId's owner (another producer's
   * partitioner, a replay): the same bytes go to the owner partition in this step's transaction,
   * and the source record is done. Its ledger, tickets and every duplicate meet there.
   */
  private StepResult forward(JobStep step, ConsumerRecord<byte[], byte[]> r, int owner) {
    RecordHeaders headers = new RecordHeaders(r.headers().toArray());
    headers.remove(FORWARDED_FROM);
    headers.add(FORWARDED_FROM, Integer.toString(r.partition()).getBytes(StandardCharsets.UTF_8));
    log.info(
        "command for {} arrived on {}-{}, forwarded to its owner partition {}",
        new String(r.key(), StandardCharsets.UTF_8),
        r.topic(),
        r.partition(),
        owner);
    return step.record(new ProducerRecord<>(r.topic(), owner, r.key(), r.value(), headers)).done();
  }

  private StepResult accept(
      JobStep step, ConsumerRecord<byte[], byte[]> r, String key, JobCommand command) {
    Optional<JobState> known = ledger.get(step.partition(), key);
    if (known.isPresent() && !Jobs.endedUnpaid(known.get())) {
      return resume(step, known.get());
    }
    known.ifPresent(
        k -> log.info("job {} ended unpaid ({}): its command runs again", key, k.getOutcome()));
    Instant now = clock.instant();
    Instant deadline = command.deadline().orElse(command.requestedAt().plus(defaultDeadline));
    JobState job = Jobs.accepted(command, now, deadline);
    if (!key.equals(command.jobId())) {
      return rejections.refused(
          step,
          r,
          JobState.newBuilder(job).setJobId(key).build(),
          DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' differs from the command's jobId");
    }
    List<String> problems = check.problems(command);
    if (!problems.isEmpty()) {
      return rejections.refused(
          step, r, job, DeadLetterReason.INVALID_COMMAND, String.join("; ", problems));
    }
    return preflight.check(step, job);
  }

  /** A command for a jobId the ledger knows: finish what a restart interrupted, else drop it. */
  private StepResult resume(JobStep step, JobState job) {
    if (job.getPhase() == JobPhase.QUEUED) {
      return submits.intent(step, job);
    }
    if (job.getPhase() == JobPhase.SUBMITTING && job.getTaskId() == null) {
      return submits.unresolved(step, job);
    }
    listener.duplicateCommand(job.getJobType());
    return StepResult.done();
  }
}
