package io.renderrelay.client;

/**
 * Header names on dead-letter records (topic {@link Topics#DEAD_LETTER}) and on commands replayed
 * from it. Values are UTF-8 strings; times are epoch milliseconds (decimal). docs/asyncapi.yaml
 * lists the same names (checked by a test).
 */
public final class DltHeaders {

  /** Machine-readable reason code, e.g. {@code UNDECODABLE}, {@code INVALID_COMMAND}. */
  public static final String REASON = "rr.dlt.reason";

  /** Class name of the exception that sent the record here, if any. */
  public static final String EXCEPTION = "rr.dlt.exception";

  /** Topic the original record was read from. */
  public static final String SOURCE_TOPIC = "rr.dlt.source.topic";

  /** Partition the original record was read from (decimal). */
  public static final String SOURCE_PARTITION = "rr.dlt.source.partition";

  /** Offset of the original record (decimal). */
  public static final String SOURCE_OFFSET = "rr.dlt.source.offset";

  /** When the record was dead-lettered (epoch milliseconds). */
  public static final String TIME = "rr.dlt.time";

  /** Human-readable detail, e.g. the validation violations; never contains secrets. */
  public static final String DETAIL = "rr.dlt.detail";

  /** On a replayed command: how many times it has been replayed from the DLT (decimal). */
  public static final String REPLAY_COUNT = "rr.replay.count";

  /** On a replayed command: when it was replayed (epoch milliseconds). */
  public static final String REPLAY_TIME = "rr.replay.time";

  /** On a replayed command: the DLT offset it was replayed from (decimal). */
  public static final String REPLAY_SOURCE_OFFSET = "rr.replay.source.offset";

  /** The render.dlt partition a replayed record came from (decimal). */
  public static final String REPLAY_SOURCE_PARTITION = "rr.replay.source.partition";

  private DltHeaders() {}
}
