package io.renderrelay.worker.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.renderrelay.worker.config.OtlpHeaders;
import io.renderrelay.worker.config.WorkerConfig.TracingSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * The worker's OpenTelemetry SDK (never registered as the global instance): W3C trace context and
 * baggage propagation, a parent-based sampler (a command's sampled flag is followed, new traces
 * sampled at {@code tracing.sample-ratio}) and, when enabled, a batch OTLP/HTTP span exporter.
 */
public final class Tracing implements AutoCloseable {

  /** The instrumentation scope name of every span the worker makes. */
  public static final String SCOPE = "io.renderrelay.worker";

  /** W3C traceparent + tracestate, then W3C baggage. */
  public static final TextMapPropagator PROPAGATOR =
      TextMapPropagator.composite(
          W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());

  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
    this.tracer = sdk.getTracer(SCOPE);
  }

  /** Tracing as configured; {@code instanceId} becomes the resource's service.instance.id. */
  public static Tracing create(TracingSettings settings, String instanceId) {
    Optional<SpanExporter> exporter = Optional.empty();
    if (settings.otlpEnabled()) {
      OtlpHttpSpanExporterBuilder builder =
          OtlpHttpSpanExporter.builder()
              .setEndpoint(settings.otlpEndpoint().toString())
              .setTimeout(Duration.ofSeconds(10));
      settings
          .otlpHeaders()
          .ifPresent(h -> OtlpHeaders.parse(h.reveal()).forEach(builder::addHeader));
      exporter = Optional.of(builder.build());
    }
    return create(exporter, settings.sampleRatio(), instanceId);
  }

  /** Tracing whose spans go to {@code exporter} (tests: an in-memory one), if any. */
  public static Tracing create(
      Optional<SpanExporter> exporter, double sampleRatio, String instanceId) {
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.of(
                        AttributeKey.stringKey("service.name"),
                        "render-relay",
                        AttributeKey.stringKey("service.instance.id"),
                        instanceId)));
    SdkTracerProviderBuilder provider =
        SdkTracerProvider.builder()
            .setResource(resource)
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)));
    exporter.ifPresent(e -> provider.addSpanProcessor(BatchSpanProcessor.builder(e).build()));
    return new Tracing(
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider.build())
            .setPropagators(ContextPropagators.create(PROPAGATOR))
            .build());
  }

  public Tracer tracer() {
    return tracer;
  }

  OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Flushes and stops the exporter (waits at most 10 s). */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().shutdown().join(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
