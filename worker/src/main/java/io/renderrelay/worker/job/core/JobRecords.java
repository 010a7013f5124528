package io.renderrelay.worker.job.core;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.TicketKind;
import io.renderrelay.worker.engine.DelayHeaders;
import io.renderrelay.worker.engine.LedgerWrite;
import io.renderrelay.worker.engine.StepResult;
import io.renderrelay.worker.job.schedule.PollPlan;
import io.renderrelay.worker.job.schedule.PollSchedule;
import io.renderrelay.worker.job.schedule.RenderTimes;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.ledger.LedgerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Builds every record the job logic writes: ledger entries and poll tickets (to the job's own
 * partition, so they stay with the job's owner), and events (Confluent wire format).
 */
public final class JobRecords {

  private final String jobsTopic;
  private final String eventsTopic;

  /** Header of a scheduled ticket that is a leg of a longer wait: milliseconds still to wait. */
  public static final String WAIT_LEFT = "rr.wait-left";

  private final PollSchedule schedule;
  private final PollPlan plan;
  private final LedgerCodec codec;
  private final InternalCodec<PollTicket> tickets;
  private final Serializer<Object> eventSerializer;
  private final Serializer<Object> commandSerializer;
  private final Map<JobType, String> commandTopics;

  public JobRecords(
      String jobsTopic,
      String eventsTopic,
      Map<JobType, String> commandTopics,
      PollSchedule schedule,
      LedgerCodec codec,
      InternalCodec<PollTicket> tickets,
      Serializer<Object> eventSerializer,
      Serializer<Object> commandSerializer) {
    this(
        jobsTopic,
        eventsTopic,
        commandTopics,
        PollPlan.tiersOnly(schedule),
        codec,
        tickets,
        eventSerializer,
        commandSerializer);
  }

  public JobRecords(
      String jobsTopic,
      String eventsTopic,
      Map<JobType, String> commandTopics,
      PollPlan plan,
      LedgerCodec codec,
      InternalCodec<PollTicket> tickets,
      Serializer<Object> eventSerializer,
      Serializer<Object> commandSerializer) {
    this.plan = plan;
    PollSchedule schedule = plan.schedule();
    this.jobsTopic = jobsTopic;
    this.eventsTopic = eventsTopic;
    this.commandTopics = Map.copyOf(commandTopics);
    this.schedule = schedule;
    this.codec = codec;
    this.tickets = tickets;
    this.eventSerializer = eventSerializer;
    this.commandSerializer = commandSerializer;
  }

  /** The command topic of a job type. */
  public String commandTopic(JobType type) {
    return commandTopics.get(type);
  }

  /** The job's command, framed as on its command topic (for dead-letter copies). */
  public byte[] commandValue(JobState job) {
    return commandSerializer.serialize(commandTopic(job.getJobType()), Jobs.command(job).avro());
  }

  /** Adds a ledger write (record and local apply) to the step's effects. */
  public StepResult.Builder ledger(StepResult.Builder b, int partition, JobState state) {
    return b.ledger(
        new LedgerWrite(partition, state.getJobId(), Optional.of(state)),
        new ProducerRecord<>(jobsTopic, partition, key(state.getJobId()), codec.encode(state)));
  }

  /**
   * The first leg of the wait before the job's poll number {@code seq} (see {@link PollPlan}): a
   * scheduled ticket due after its tier's delay, carrying what is left to wait.
   */
  public ProducerRecord<byte[], byte[]> scheduledTicket(
      int partition, JobState job, int seq, Instant now) {
    Duration wait =
        plan.waitBefore(
            job.getJobType(),
            seq,
            job.getNotFoundSince() != null,
            Duration.between(now, job.getDeadline()));
    return leg(partition, job.getJobId(), seq, now, wait);
  }

  /** The next leg of a scheduled ticket's wait, {@code left} still to wait. */
  public ProducerRecord<byte[], byte[]> nextLeg(
      int partition, String jobId, int seq, Instant now, Duration left) {
    return leg(partition, jobId, seq, now, left);
  }

  /** What a scheduled ticket record still has to wait after its own delay (zero: poll). */
  public static Duration waitLeft(org.apache.kafka.common.header.Headers headers) {
    return Duration.ofMillis(Math.max(0, DelayHeaders.longHeader(headers, WAIT_LEFT).orElse(0)));
  }

  /** The render times and callback share the poll plan learns from. */
  public RenderTimes renderTimes() {
    return plan.times();
  }

  private ProducerRecord<byte[], byte[]> leg(
      int partition, String jobId, int seq, Instant now, Duration wait) {
    PollSchedule.Hop hop = schedule.hop(wait);
    Duration delay = hop.tier().delay();
    ProducerRecord<byte[], byte[]> r =
        ticket(
            hop.tier().topic(), partition, jobId, seq, TicketKind.SCHEDULED, now, now.plus(delay));
    if (!hop.left().isZero()) {
      r.headers().add(WAIT_LEFT, DelayHeaders.encode(hop.left().toMillis()));
    }
    return r;
  }

  /**
   * A "poll now" ticket (from a callback), keyed like every ticket so it reaches the owner. It
   * carries no due header: the receiving replica's clock says nothing about when the owner may
   * poll, so the owner takes it at once.
   */
  public ProducerRecord<byte[], byte[]> callbackTicket(String jobId, Instant now) {
    PollTicket t =
        PollTicket.newBuilder()
            .setJobId(jobId)
            .setKind(TicketKind.CALLBACK)
            .setSeq(0)
            .setDueAt(now)
            .setIssuedAt(now)
            .build();
    return new ProducerRecord<>(
        schedule.callbackTier().topic(), null, key(jobId), tickets.encode(t));
  }

  /** The scheduled delay of a poll tier topic (zero for the callback tier or an unknown topic). */
  public java.time.Duration delayOf(String topic) {
    return schedule.topics().getOrDefault(topic, java.time.Duration.ZERO);
  }

  public ProducerRecord<byte[], byte[]> event(String jobId, SpecificRecord event) {
    return new ProducerRecord<>(
        eventsTopic, key(jobId), eventSerializer.serialize(eventsTopic, event));
  }

  /** Decodes a poll ticket written by this or any released version. */
  public PollTicket decodeTicket(byte[] value) {
    return tickets.decode(value);
  }

  private ProducerRecord<byte[], byte[]> ticket(
      String topic,
      Integer partition,
      String jobId,
      int seq,
      TicketKind kind,
      Instant now,
      Instant due) {
    PollTicket t =
        PollTicket.newBuilder()
            .setJobId(jobId)
            .setKind(kind)
            .setSeq(seq)
            .setDueAt(due)
            .setIssuedAt(now)
            .build();
    RecordHeaders headers = new RecordHeaders();
    headers.add(DelayHeaders.DUE, DelayHeaders.encode(due.toEpochMilli()));
    headers.add(DelayHeaders.ATTEMPT, DelayHeaders.encode(seq));
    return new ProducerRecord<>(topic, partition, key(jobId), tickets.encode(t), headers);
  }

  static byte[] key(String jobId) {
    return jobId.getBytes(StandardCharsets.UTF_8);
  }
}
