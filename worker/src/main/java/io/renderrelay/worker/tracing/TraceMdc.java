package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/**
 * Makes a step's context current and puts its span's {@code trace_id} and {@code span_id} into the
 * logging MDC for the life of the step, so every log line written meanwhile carries them (the JSON
 * encoder writes every MDC entry); the context and the values before are restored on close.
 */
final class TraceMdc implements AutoCloseable {

  static final String TRACE_ID = "trace_id";
  static final String SPAN_ID = "span_id";

  private final Scope scope;
  private final String previousTrace;
  private final String previousSpan;

  private TraceMdc(Context context, SpanContext span) {
    this.scope = context.makeCurrent();
    this.previousTrace = MDC.get(TRACE_ID);
    this.previousSpan = MDC.get(SPAN_ID);
    if (span.isValid()) {
      MDC.put(TRACE_ID, span.getTraceId());
      MDC.put(SPAN_ID, span.getSpanId());
    }
  }

  /** Enters {@code context}, whose span is {@code span}. */
  static TraceMdc enter(Context context, Span span) {
    return new TraceMdc(context.with(span), span.getSpanContext());
  }

  @Override
  public void close() {
    restore(TRACE_ID, previousTrace);
    restore(SPAN_ID, previousSpan);
    scope.close();
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
