package io.renderrelay.worker.job.intake;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.core.DeadLettering;
import io.renderrelay.worker.job.core.Failure;
import io.renderrelay.worker.job.core.JobStep;
import io.renderrelay.worker.job.core.Transitions;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A command refused at intake: its record is dead-lettered and, unless it is too broken to name a
 * job, the job ends FAILED INVALID_COMMAND with its one terminal event.
 */
final class Rejections {

  /** A rejected command larger than this is not copied into its ledger entry and event. */
  static final int MAX_KEPT_REJECTED_BYTES = 64 * 1024;

  private final DeadLettering deadLettering;
  private final Transitions transitions;
  private final String actOneTopic;
  private final Clock clock;

  Rejections(
      DeadLettering deadLettering, Transitions transitions, String actOneTopic, Clock clock) {
    this.deadLettering = deadLettering;
    this.transitions = transitions;
    this.actOneTopic = actOneTopic;
    this.clock = clock;
  }

  /** Dead-letters the record only (no job can be named, or its job is already known). */
  StepResult deadLetterOnly(
      JobStep step, ConsumerRecord<byte[], byte[]> r, DeadLetterReason reason, String detail) {
    return deadLettering.record(step, r, reason, detail, null).done();
  }

  /** A record whose bytes never decode: a stub job of its topic's type ends FAILED. */
  StepResult undecodable(
      JobStep step, ConsumerRecord<byte[], byte[]> r, String key, CommandDecoder.Decoded.Bad bad) {
    deadLettering.record(step, r, bad.reason(), bad.detail(), bad.error());
    JobType type = r.topic().equals(actOneTopic) ? JobType.ACT_ONE : JobType.RESTYLE;
    JobState stub = unknownJob(key, type, clock.instant());
    return transitions.fail(
        step, stub, Failure.permanent(FailureReason.INVALID_COMMAND, bad.detail()));
  }

  /** Dead-letters a record without failing a job (its jobId is known to the ledger). */
  StepResult undecodableKnown(
      JobStep step, ConsumerRecord<byte[], byte[]> r, CommandDecoder.Decoded.Bad bad) {
    return deadLettering.record(step, r, bad.reason(), bad.detail(), bad.error()).done();
  }

  /** A decoded command refused ({@code job} is its accepted entry): the job ends FAILED. */
  StepResult refused(
      JobStep step,
      ConsumerRecord<byte[], byte[]> r,
      JobState job,
      DeadLetterReason reason,
      String detail) {
    String message = brief(detail);
    deadLettering.record(step, r, reason, message, null);
    return transitions.fail(
        step,
        kept(r, job, clock.instant()),
        Failure.permanent(FailureReason.INVALID_COMMAND, message));
  }

  /**
   * The ledger entry of a command rejected at intake: the command itself, unless the record is so
   * large that its ledger entry or event could exceed the broker's record size (then a stub with
   * the jobId and type only; the original stays in the DLT).
   */
  private static JobState kept(ConsumerRecord<byte[], byte[]> r, JobState job, Instant now) {
    int size = r.value() == null ? 0 : r.value().length;
    return size <= MAX_KEPT_REJECTED_BYTES
        ? job
        : unknownJob(job.getJobId(), job.getJobType(), now);
  }

  private static String brief(String message) {
    return message.length() <= Intake.MAX_REJECTION_MESSAGE
        ? message
        : message.substring(0, Intake.MAX_REJECTION_MESSAGE)
            + "... ("
            + message.length()
            + " chars)";
  }

  private static JobState unknownJob(String jobId, JobType type, Instant now) {
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

  private static RestyleCommand placeholderRestyle(String jobId, Instant now) {
    return RestyleCommand.newBuilder()
        .setJobId(jobId)
        .setSourceVideoUrl("")
        .setPrompt("")
        .setRequestedAt(now)
        .build();
  }

  private static ActOneCommand placeholderActOne(String jobId, Instant now) {
    return ActOneCommand.newBuilder()
        .setJobId(jobId)
        .setPerformanceVideoUrl("")
        .setCharacterImageUrl("")
        .setRequestedAt(now)
        .build();
  }
}
