package io.renderrelay.worker.dlt;

/** Header names of dead-letter records (the DLT contract; see docs/asyncapi.yaml). */
public final class DeadLetterHeaders {
  public static final String REASON = "rr.dlt.reason";
  public static final String EXCEPTION = "rr.dlt.exception";
  public static final String DETAIL = "rr.dlt.detail";
  public static final String SOURCE_TOPIC = "rr.dlt.source.topic";
  public static final String SOURCE_PARTITION = "rr.dlt.source.partition";
  public static final String SOURCE_OFFSET = "rr.dlt.source.offset";
  public static final String TIME = "rr.dlt.time";

  private DeadLetterHeaders() {}
}
