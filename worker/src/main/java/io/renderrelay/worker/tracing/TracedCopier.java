package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.renderrelay.worker.storage.CopiedObject;
import io.renderrelay.worker.storage.CopyException;
import io.renderrelay.worker.storage.PriorCopies;
import io.renderrelay.worker.storage.RenderCopier;
import java.net.URI;

/** A {@code copy} span around each output copy from the provider's CDN into S3. */
public final class TracedCopier implements RenderCopier {

  private final RenderCopier delegate;
  private final Tracer tracer;

  public TracedCopier(RenderCopier delegate, Tracer tracer) {
    this.delegate = delegate;
    this.tracer = tracer;
  }

  @Override
  public CopiedObject copy(URI source, String key, String expectedContentType, PriorCopies prior)
      throws CopyException {
    Span span =
        tracer
            .spanBuilder("copy")
            .setAttribute("render_relay.content_type", expectedContentType)
            .startSpan();
    return Spans.within(
        span,
        () -> {
          CopiedObject copied = delegate.copy(source, key, expectedContentType, prior);
          span.setAttribute("render_relay.copy.bytes", copied.sizeBytes());
          return copied;
        });
  }
}
