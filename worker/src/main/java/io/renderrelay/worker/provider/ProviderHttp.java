package io.renderrelay.worker.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * One provider exchange on the wire: the request (bearer auth, version header, trace context), the
 * pause-aware wait for its answer, and the answer read into a result or a classified error. No
 * retries and no limits: {@link HttpProviderClient} adds those.
 */
final class ProviderHttp {

  private final HttpClient http;
  private final PauseAwareWait waiter;
  private final ProviderAnswerParser parser;
  private final ErrorClassifier classifier;
  private final String authorization;
  private final Optional<String> versionHeader;
  private final Duration requestTimeout;
  private final Clock clock;

  ProviderHttp(
      HttpClient http,
      PauseAwareWait waiter,
      ObjectMapper mapper,
      Redactor redactor,
      RetrySettings retry,
      String authorization,
      Optional<String> versionHeader,
      Duration requestTimeout,
      Clock clock) {
    this.http = Objects.requireNonNull(http, "http");
    this.waiter = Objects.requireNonNull(waiter, "waiter");
    this.parser = new ProviderAnswerParser(mapper, new StatusNormaliser(), redactor);
    this.classifier = new ErrorClassifier(retry.safeSubmitRetryStatuses(), parser, redactor);
    this.authorization = authorization;
    this.versionHeader = versionHeader.filter(v -> !v.isBlank());
    this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.clock = clock;
  }

  /** POSTs {@code body} to {@code uri}; a transport failure comes back classified. */
  HttpResponse<String> post(ProviderEndpoint endpoint, URI uri, byte[] body)
      throws ProviderException {
    HttpRequest request = request(uri, body);
    try {
      // our own pause-aware timeout, not the request's: the JDK's timer would fire on SIGCONT
      // before the answer already in the socket is read (see PauseAwareWait)
      return waiter.await(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
          requestTimeout,
          endpoint.isSubmit()); // an interrupted submit still reads whether it was taken
    } catch (IOException | UncheckedIOException e) {
      throw classifier.classifyTransport(endpoint, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof IOException || cause instanceof UncheckedIOException) {
        throw classifier.classifyTransport(endpoint, cause);
      }
      throw new IllegalStateException(
          "provider " + endpoint.label() + ": HTTP client failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw classifier.classifyTransport(endpoint, e);
    }
  }

  private HttpRequest request(URI uri, byte[] body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    versionHeader.ifPresent(v -> builder.header("X-Runway-Version", v));
    // issue 17: W3C traceparent/tracestate of the current span (none outside one); never the
    // caller's baggage: the provider is a third party and baggage may carry tenant or user data
    io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()
        .inject(io.opentelemetry.context.Context.current(), builder, HttpRequest.Builder::header);
    return builder.build();
  }

  /** The task id of a submit's answer. */
  String taskId(ProviderEndpoint endpoint, HttpResponse<String> response) throws ProviderException {
    Envelope envelope = envelope(endpoint, response);
    try {
      return parser.taskId(envelope);
    } catch (ProviderAnswerException e) {
      throw classifier.classifyMalformed(endpoint, e);
    }
  }

  /** The task of a Feed Get Task answer. */
  TaskSnapshot snapshot(HttpResponse<String> response, String taskId) throws ProviderException {
    Envelope envelope = envelope(ProviderEndpoint.FEED, response);
    try {
      return parser.snapshot(envelope, taskId);
    } catch (ProviderAnswerException e) {
      throw classifier.classifyMalformed(ProviderEndpoint.FEED, e);
    }
  }

  /** The envelope of a 2xx answer whose gateway code says success; everything else throws. */
  private Envelope envelope(ProviderEndpoint endpoint, HttpResponse<String> response)
      throws ProviderException {
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw classifier.classifyHttp(
          endpoint,
          status,
          response.headers().firstValue("Retry-After"),
          response.body(),
          clock.instant());
    }
    Envelope envelope;
    try {
      envelope = parser.parseEnvelope(response.body());
    } catch (ProviderAnswerException e) {
      throw classifier.classifyMalformed(endpoint, e);
    }
    if (!envelope.ok()) {
      throw classifier.classifyGatewayCode(endpoint, envelope);
    }
    return envelope;
  }

  /** {@code base} + {@code path}, keeping any path prefix of the base; http(s) only. */
  static URI endpointUri(URI base, String path) {
    Objects.requireNonNull(base, "provider base URL");
    Objects.requireNonNull(path, "provider path");
    if (base.getRawUserInfo() != null || base.getRawQuery() != null) {
      throw new IllegalArgumentException("provider base URL must carry no user info nor query");
    }
    String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || scheme.equals("http")) || base.getHost() == null) {
      throw new IllegalArgumentException("provider base URL must be http(s) with a host: " + base);
    }
    String prefix = base.toString().replaceAll("/+$", "");
    return URI.create(prefix + (path.startsWith("/") ? path : "/" + path));
  }
}
