package io.renderrelay.worker.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Everything the loop knows of one partition it owns, from its assignment to its revoke or loss:
 * the offsets taken and finished (only the contiguous prefix is ever committed, as decaton's
 * OutOfOrderCommitControl does), the due time its head is held until, and the lease its records'
 * steps carry. A new assignment of the same partition is a new object, so nothing of an earlier
 * ownership leaks into it. Used by the loop thread; the lease flags are read by step threads.
 */
final class OwnedPartition implements Lease {

  private final TopicPartition tp;
  private final TreeSet<Long> pending = new TreeSet<>();
  private long highest = -1;
  private long committed = -1;
  private long headOffset = -1;
  private Instant headSeen;
  private Instant heldUntil;
  private volatile boolean draining;
  private volatile boolean valid = true;

  OwnedPartition(TopicPartition tp) {
    this.tp = tp;
  }

  TopicPartition topicPartition() {
    return tp;
  }

  @Override
  public boolean valid() {
    return valid;
  }

  @Override
  public boolean draining() {
    return draining;
  }

  /** A revoke or shutdown began: the partition is being handed over. */
  void startDraining() {
    draining = true;
  }

  /** The partition moved (or its drain ended): nothing its steps do is committed any more. */
  void end() {
    draining = true;
    valid = false;
  }

  /** A record was taken into work. */
  void started(long offset) {
    pending.add(offset);
    highest = Math.max(highest, offset);
    if (offset == headOffset) {
      heldUntil = null;
    }
  }

  /** A record needs no more work: its offset may become part of the committed prefix. */
  void finished(long offset) {
    pending.remove(offset);
  }

  int pending() {
    return pending.size();
  }

  /**
   * The position to commit: the first offset still in work, or the one after the last taken. Empty
   * before any record was taken. With {@code force} it is returned even when it did not advance, so
   * a transaction carrying this partition's results also carries the group generation.
   */
  Optional<OffsetAndMetadata> commitPoint(boolean force) {
    if (highest < 0) {
      return Optional.empty();
    }
    long next = pending.isEmpty() ? highest + 1 : pending.first();
    return force || next > committed ? Optional.of(new OffsetAndMetadata(next)) : Optional.empty();
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /**
   * How long the delay-topic record at {@code offset} holds this partition: until its due time, but
   * never longer than the tier's delay after this reader first saw it at the head, by this reader's
   * clock (a writer whose clock runs ahead cannot stall the tier; design invariant 9).
   */
  Instant holdUntil(long offset, Instant due, Instant now, Duration tierDelay) {
    if (offset != headOffset) {
      headOffset = offset;
      headSeen = now;
    }
    Instant cap = headSeen.plus(tierDelay);
    heldUntil = due.isBefore(cap) ? due : cap;
    return heldUntil;
  }

  /** The due time the head is held until, if it is held. */
  Optional<Instant> heldUntil() {
    return Optional.ofNullable(heldUntil);
  }

  /** Releases the hold once its time has come; true while still held. */
  boolean stillHeld(Instant now) {
    if (heldUntil != null && !heldUntil.isAfter(now)) {
      heldUntil = null;
    }
    return heldUntil != null;
  }

  @Override
  public String toString() {
    return tp + (valid ? "" : " (ended)");
  }
}
