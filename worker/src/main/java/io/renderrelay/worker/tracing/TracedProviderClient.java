package io.renderrelay.worker.tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.SubmitPermit;
import io.renderrelay.worker.provider.TaskSnapshot;
import java.net.URI;
import java.util.Optional;

/**
 * A client span around each provider call ({@code provider.submit}, {@code provider.poll}), current
 * while the call runs, so the HTTP client sends its W3C {@code traceparent} to the provider.
 */
public final class TracedProviderClient implements ProviderClient {

  private final ProviderClient delegate;
  private final Tracer tracer;

  public TracedProviderClient(ProviderClient delegate, Tracer tracer) {
    this.delegate = delegate;
    this.tracer = tracer;
  }

  @Override
  public String submitRestyle(
      RestyleCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException {
    return call(
        "provider.submit", "restyle", () -> delegate.submitRestyle(command, callbackUrl, permit));
  }

  @Override
  public String submitActOne(ActOneCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException {
    return call(
        "provider.submit", "act_one", () -> delegate.submitActOne(command, callbackUrl, permit));
  }

  @Override
  public TaskSnapshot getTask(String taskId) throws ProviderException {
    return call("provider.poll", "feed", () -> delegate.getTask(taskId));
  }

  private <T> T call(String name, String endpoint, Spans.Call<T, ProviderException> call)
      throws ProviderException {
    return Spans.within(
        tracer
            .spanBuilder(name)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("render_relay.provider.endpoint", endpoint)
            .startSpan(),
        call);
  }
}
