package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/** Runs a call with a started span current, records its failure, ends it. */
final class Spans {

  /** A call that may throw {@code E}. */
  @FunctionalInterface
  interface Call<T, E extends Exception> {
    T run() throws E;
  }

  private Spans() {}

  static <T, E extends Exception> T within(Span span, Call<T, E> call) throws E {
    try (Scope ignored = span.makeCurrent()) {
      return call.run();
    } catch (Exception e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
      throw e;
    } finally {
      span.end();
    }
  }
}
