package io.renderrelay.worker.engine;

import java.util.Set;

/** The loop's view of the local ledger: committed writes and partition ownership changes. */
public interface LedgerApplier {

  void apply(LedgerWrite write);

  /** Partitions now owned (all of them); restore those not yet valid locally. */
  void assigned(Set<Integer> partitions);

  void revoked(Set<Integer> partitions);

  void lost(Set<Integer> partitions);
}
