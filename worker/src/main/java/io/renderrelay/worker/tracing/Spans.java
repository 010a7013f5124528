package io.renderrelay.worker.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * Runs a call with a started span current, records its failure, ends it. A failure is recorded by
 * its exception's class only: exported spans do not pass the log redaction, and an exception's
 * message may quote a secret; the log lines of the same span (trace_id, span_id) carry the message,
 * redacted.
 */
final class Spans {

  /** A call that may throw {@code E}. */
  @FunctionalInterface
  interface Call<T, E extends Exception> {
    T run() throws E;
  }

  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");

  private Spans() {}

  /** Marks {@code span} failed by {@code error}: an exception event and status, class name only. */
  static void failed(Span span, Throwable error) {
    span.addEvent("exception", Attributes.of(EXCEPTION_TYPE, error.getClass().getName()));
    span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
  }

  static <T, E extends Exception> T within(Span span, Call<T, E> call) throws E {
    try (Scope ignored = span.makeCurrent()) {
      return call.run();
    } catch (Exception e) {
      failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }
}
