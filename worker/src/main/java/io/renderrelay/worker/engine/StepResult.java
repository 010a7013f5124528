package io.renderrelay.worker.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What one step of work on a job produced. The loop writes {@code records} in one Kafka transaction
 * together with the consumed offsets, applies {@code ledger} to the local store once that
 * transaction has committed, and only then runs {@code next} (after {@code nextDelay}), so a step
 * never starts before the state it depends on is durable.
 *
 * @param sourceDone the source record needs no more work: its offset may be committed
 */
public record StepResult(
    List<ProducerRecord<byte[], byte[]>> records,
    List<LedgerWrite> ledger,
    boolean sourceDone,
    Optional<Step> next,
    Duration nextDelay) {

  public StepResult {
    records = List.copyOf(records);
    ledger = List.copyOf(ledger);
  }

  /** Nothing to write; the source record is done. */
  public static StepResult done() {
    return new StepResult(List.of(), List.of(), true, Optional.empty(), Duration.ZERO);
  }

  /**
   * The step did nothing and leaves its record uncommitted for the partition's next owner: only for
   * a partition being handed over ({@link Lease#draining()}), e.g. instead of a new submit intent
   * during a shutdown. The record's offset is not committed while this owner holds it.
   */
  public static StepResult handOver() {
    return new StepResult(List.of(), List.of(), false, Optional.empty(), Duration.ZERO);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the effects of a step. */
  public static final class Builder {
    private final List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    private final List<LedgerWrite> ledger = new ArrayList<>();

    public Builder record(ProducerRecord<byte[], byte[]> record) {
      records.add(record);
      return this;
    }

    public Builder ledger(LedgerWrite write, ProducerRecord<byte[], byte[]> record) {
      ledger.add(write);
      records.add(record);
      return this;
    }

    public StepResult done() {
      return new StepResult(records, ledger, true, Optional.empty(), Duration.ZERO);
    }

    /** Commit these effects, then run {@code next} on the same job after {@code delay}. */
    public StepResult then(Step next, Duration delay) {
      return new StepResult(records, ledger, false, Optional.of(next), delay);
    }
  }
}
