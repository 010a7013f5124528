package io.renderrelay.client;

import java.util.List;

/**
 * The W3C Trace Context and Baggage record headers (UTF-8 values) the worker reads from a command
 * and writes on its events and dead letters, as docs/asyncapi.yaml names them ({@code
 * TraceHeaders}). A consumer continues the render's trace by extracting them with any W3C
 * propagator, e.g. OpenTelemetry's {@code W3CTraceContextPropagator}.
 */
public final class TraceHeaders {

  /** {@code version-traceid-parentid-flags}, e.g. {@code 00-4bf9...4736-00f0...02b7-01}. */
  public static final String TRACEPARENT = "traceparent";

  /** Vendor-specific trace state, passed on unchanged. */
  public static final String TRACESTATE = "tracestate";

  /** W3C baggage, passed on unchanged. */
  public static final String BAGGAGE = "baggage";

  /** Every trace header name. */
  public static final List<String> ALL = List.of(TRACEPARENT, TRACESTATE, BAGGAGE);

  private TraceHeaders() {}
}
