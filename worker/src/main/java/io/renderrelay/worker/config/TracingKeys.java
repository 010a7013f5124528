package io.renderrelay.worker.config;

import static io.renderrelay.worker.config.ConfigKey.key;

import java.net.URI;
import java.util.List;

/**
 * Keys of OpenTelemetry tracing and OTLP export. {@link ConfigKeys#ALL} lists them with the others,
 * in docs order.
 */
final class TracingKeys {
  private TracingKeys() {}

  // ---- tracing (issue 17)
  public static final ConfigKey<Boolean> TRACING_OTLP_ENABLED =
      key("tracing.otlp-enabled", ValueType.BOOLEAN)
          .group("tracing")
          .defaultValue("false")
          .doc(
              "Export spans over OTLP/HTTP to tracing.otlp-endpoint. Off: spans are still made and"
                  + " their W3C context propagated (events, DLT records, provider calls, log lines),"
                  + " nothing is exported.")
          .build();
  public static final ConfigKey<URI> TRACING_OTLP_ENDPOINT =
      key("tracing.otlp-endpoint", ValueType.URL)
          .group("tracing")
          .defaultValue("http://localhost:4318/v1/traces")
          .validator(Validator.httpUrl())
          .doc(
              "OTLP/HTTP traces endpoint of the collector (protobuf), e.g. an OpenTelemetry Collector.")
          .build();
  public static final ConfigKey<Secret> TRACING_OTLP_HEADERS =
      key("tracing.otlp-headers", ValueType.SECRET)
          .group("tracing")
          .secret()
          .validator(v -> OtlpHeaders.problem(v.reveal()))
          .doc(
              "Extra headers of every OTLP export request, e.g. a collector's or vendor's"
                  + " credentials: name=value pairs separated by commas, values percent-encoded"
                  + " (the OTEL_EXPORTER_OTLP_HEADERS format), e.g."
                  + " Authorization=Bearer%20TOKEN.")
          .build();
  public static final ConfigKey<Double> TRACING_SAMPLE_RATIO =
      key("tracing.sample-ratio", ValueType.DOUBLE)
          .group("tracing")
          .defaultValue("1.0")
          .validator(Validator.doubleRange(0, 1))
          .doc(
              "Share of new traces (commands without a traceparent header) that are sampled;"
                  + " a command's own sampled flag is always followed.")
          .build();

  /** This class's keys, in docs order. */
  static final List<ConfigKey<?>> KEYS =
      List.of(
          TRACING_OTLP_ENABLED, TRACING_OTLP_ENDPOINT, TRACING_OTLP_HEADERS, TRACING_SAMPLE_RATIO);
}
