package io.renderrelay.worker.engine;

import java.util.Set;
import java.util.function.Predicate;

/** The loop's view of the local ledger: committed writes and partition ownership changes. */
public interface LedgerApplier {

  void apply(LedgerWrite write);

  /** Partitions now owned (all of them); restore those not yet valid locally. */
  void assigned(Set<Integer> partitions);

  /**
   * Whether an owned partition's ledger is restored: until then the loop keeps every assigned
   * topic-partition with that number paused and takes none of its records.
   */
  default boolean ready(int partition) {
    return true;
  }

  void revoked(Set<Integer> partitions);

  void lost(Set<Integer> partitions);

  /**
   * Writes the ledger makes of its own accord (tombstones of jobs past the dedupe horizon). The
   * loop adds them to its next transaction that also commits consumed offsets, so they are fenced
   * by the group generation like every step's writes, and applies their ledger writes after the
   * commit. Keys for which {@code busy} holds (work in flight or awaiting its commit) must be left
   * alone.
   */
  default StepResult upkeep(Predicate<String> busy) {
    return StepResult.done();
  }

  /** The loop ended: stop background work (restores) for it. */
  default void close() {}
}
