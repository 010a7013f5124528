package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * Puts a span's {@code trace_id} and {@code span_id} into the logging MDC for the life of a step,
 * so every log line written meanwhile carries them (the JSON encoder writes every MDC entry); the
 * values before are restored on close.
 */
final class TraceMdc implements AutoCloseable {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private final String previousTrace;
  private final String previousSpan;

  private TraceMdc(SpanContext span) {
    this.previousTrace = MDC.get(TRACE_ID);
    this.previousSpan = MDC.get(SPAN_ID);
    if (span.isValid()) {
      MDC.put(TRACE_ID, span.getTraceId());
      MDC.put(SPAN_ID, span.getSpanId());
    }
  }

  static TraceMdc of(SpanContext span) {
    return new TraceMdc(span);
  }

  @Override
  public void close() {
    restore(TRACE_ID, previousTrace);
    restore(SPAN_ID, previousSpan);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
