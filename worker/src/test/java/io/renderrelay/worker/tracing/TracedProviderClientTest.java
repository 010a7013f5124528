package io.renderrelay.worker.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.provider.ProviderClient;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.SubmitPermit;
import io.renderrelay.worker.provider.TaskSnapshot;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A client span is current during each provider call, and a failure is recorded on it. */
class TracedProviderClientTest {

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final SdkTracerProvider provider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  final List<String> currentDuringCall = new ArrayList<>();
  final List<Optional<SubmitPermit>> permits = new ArrayList<>();

  final ProviderClient fake =
      new ProviderClient() {
        @Override
        public String submitRestyle(
            RestyleCommand command, URI callbackUrl, Optional<SubmitPermit> permit) {
          currentDuringCall.add(Span.current().getSpanContext().getSpanId());
          permits.add(permit);
          return "task-1";
        }

        @Override
        public String submitActOne(
            ActOneCommand command, URI callbackUrl, Optional<SubmitPermit> permit) {
          permits.add(permit);
          return "task-2";
        }

        @Override
        public TaskSnapshot getTask(String taskId) throws ProviderException {
          throw new ProviderException.TaskNotFound("no " + taskId);
        }
      };

  @Test
  void theSubmitPermitReachesTheWrappedClient() throws Exception {
    TracedProviderClient client = new TracedProviderClient(fake, provider.get("test"));
    // the permit taken before the intent reaches the HTTP client: no second wait, no second probe
    SubmitPermit permit = new SubmitPermit(java.time.Instant.EPOCH, 0L, true);
    assertThat(client.submitActOne(null, null, Optional.of(permit))).isEqualTo("task-2");
    assertThat(client.submitRestyle(null, null, Optional.of(permit))).isEqualTo("task-1");
    assertThat(permits).containsExactly(Optional.of(permit), Optional.of(permit));
  }

  @Test
  void eachCallIsAClientSpanCurrentWhileItRuns() throws Exception {
    TracedProviderClient client = new TracedProviderClient(fake, provider.get("test"));
    assertThat(client.submitRestyle(null, null)).isEqualTo("task-1");
    assertThatThrownBy(() -> client.getTask("t-9"))
        .isInstanceOf(ProviderException.TaskNotFound.class);

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished)
        .extracting(SpanData::getName)
        .containsExactly("provider.submit", "provider.poll");
    SpanData submit = finished.get(0);
    assertThat(submit.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(currentDuringCall).containsExactly(submit.getSpanId());
    SpanData poll = finished.get(1);
    assertThat(poll.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(poll.getEvents()).extracting(e -> e.getName()).contains("exception");
    assertThat(Span.current().getSpanContext().isValid()).as("scope closed").isFalse();
    provider.close();
  }
}
