package io.renderrelay.worker.spend;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.avro.SpendKind;
import io.renderrelay.worker.ledger.InternalCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Builds the spend journal's records. All go to partition 0 of the journal topic, so the journal
 * has one order that every replica reads alike (the overspend bound rests on it).
 */
public final class SpendJournal {

  /** Phases in which a job holds a reservation: its submit is paid, or may have been. */
  private static final Set<JobPhase> PAID =
      EnumSet.of(JobPhase.SUBMITTING, JobPhase.POLLING, JobPhase.COPYING);

  private final String topic;
  private final String writer;
  private final InternalCodec<SpendEntry> codec;
  private final Pricing pricing;

  public SpendJournal(
      String topic, String writer, InternalCodec<SpendEntry> codec, Pricing pricing) {
    this.topic = topic;
    this.writer = writer;
    this.codec = codec;
    this.pricing = pricing;
  }

  /** The journal topic. */
  public String topic() {
    return topic;
  }

  /** This replica's instance id, as written in its entries. */
  public String writer() {
    return writer;
  }

  /** The reservation id of a job's submit attempt {@code attempt}. */
  static String reservationId(String jobId, int attempt) {
    return jobId + "#" + attempt;
  }

  /** The reservation of a claim: written with the job's intent (SUBMITTING). */
  ProducerRecord<byte[], byte[]> reserved(SpendGuard.Claim claim, JobState submitting) {
    return record(
        entry(
            claim.id(),
            submitting,
            SpendKind.RESERVED,
            claim.costMicros(),
            submitting.getUpdatedAt()));
  }

  /**
   * The entry that ends a job's reservation when it leaves the paid phases ({@code before} is its
   * committed state, {@code next} the one written now): REFUNDED when the submit was withdrawn
   * unpaid (its attempt count went down), RELEASED otherwise (the cost stays booked).
   */
  public Optional<ProducerRecord<byte[], byte[]>> closing(JobState before, JobState next) {
    if (!PAID.contains(before.getPhase()) || PAID.contains(next.getPhase())) {
      return Optional.empty();
    }
    String id = reservationId(before.getJobId(), before.getSubmitAttempts());
    boolean refund = next.getSubmitAttempts() < before.getSubmitAttempts();
    long cost = refund ? pricing.estimate(before) : 0;
    // a refund belongs to its reservation's period: the intent wrote SUBMITTING at that time
    Instant at = refund ? before.getUpdatedAt() : next.getUpdatedAt();
    SpendKind kind = refund ? SpendKind.REFUNDED : SpendKind.RELEASED;
    return Optional.of(record(entry(id, before, kind, cost, at)));
  }

  private SpendEntry entry(String id, JobState job, SpendKind kind, long cost, Instant at) {
    return SpendEntry.newBuilder()
        .setId(id)
        .setJobId(job.getJobId())
        .setKind(kind)
        .setTenant(pricing.tenant(job))
        .setJobType(job.getJobType())
        .setCostMicros(cost)
        .setCurrency(pricing.currency())
        .setDay(Periods.day(at))
        .setMonth(Periods.month(at))
        .setAt(at)
        .setWriter(writer)
        .build();
  }

  private ProducerRecord<byte[], byte[]> record(SpendEntry e) {
    return new ProducerRecord<>(
        topic, 0, e.getTenant().getBytes(StandardCharsets.UTF_8), codec.encode(e));
  }
}
