package io.renderrelay.worker.tracing;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes the W3C trace context ({@code traceparent}, {@code tracestate}) and {@code
 * baggage} as Kafka record headers, UTF-8 values, as docs/asyncapi.yaml names them.
 */
final class KafkaHeaders {

  /** The headers this class writes; any earlier ones are replaced. */
  public static final List<String> NAMES = io.renderrelay.client.TraceHeaders.ALL;

  private static final TextMapGetter<Headers> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
          List<String> keys = new ArrayList<>();
          carrier.forEach(h -> keys.add(h.key()));
          return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
          Header h = carrier == null ? null : carrier.lastHeader(key);
          return h == null || h.value() == null
              ? null
              : new String(h.value(), StandardCharsets.UTF_8);
        }
      };

  private static final TextMapSetter<Headers> SETTER =
      (carrier, key, value) -> {
        if (carrier != null) {
          carrier.remove(key);
          carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
      };

  private KafkaHeaders() {}

  /** The context a record's headers carry (the root context when they carry none). */
  public static Context extract(Headers headers) {
    return Tracing.PROPAGATOR.extract(Context.root(), headers, GETTER);
  }

  /** Replaces the record's trace headers with those of {@code context}. */
  public static void inject(Context context, Headers headers) {
    NAMES.forEach(headers::remove);
    Tracing.PROPAGATOR.inject(context, headers, SETTER);
  }
}
