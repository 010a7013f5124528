package io.renderrelay.worker.ledger;

import java.util.Map;

/**
 * How the {@code render.jobs} topic is created. Compaction never touches the active segment, and
 * Kafka rolls a segment only after {@code segment.ms} (7 days by default), so without these
 * settings neither superseded entries nor the worker's tombstones would ever be compacted away.
 */
public final class LedgerTopic {

  /**
   * Topic configs: roll the active segment hourly, compact any entry at most a day after it was
   * written, and keep tombstones a day so a restore that started before one was written still sees
   * it (a restore takes seconds to minutes).
   */
  public static final Map<String, String> CONFIGS =
      Map.of(
          "cleanup.policy", "compact",
          "segment.ms", "3600000",
          "min.compaction.lag.ms", "0",
          "max.compaction.lag.ms", "86400000",
          "delete.retention.ms", "86400000",
          "min.cleanable.dirty.ratio", "0.1");

  private LedgerTopic() {}
}
