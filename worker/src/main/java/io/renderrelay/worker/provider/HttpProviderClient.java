package io.renderrelay.worker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.config.WorkerConfig.ProviderSettings;
import io.renderrelay.worker.provider.ProviderException.Fatal;
import io.renderrelay.worker.provider.ProviderException.Rejected;
import io.renderrelay.worker.provider.ProviderException.Retryable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProviderClient} over {@link HttpClient}: bearer auth, both answer formats, every error
 * classified once by {@link ErrorClassifier}, process-wide rate limits and submission gate.
 *
 * <p>Polls are retried here with capped, jittered backoff. Submits are retried only when the
 * provider surely did not take them (connection never made, or a safe status such as 429/503);
 * anything else that leaves the outcome open is thrown as {@link ProviderException.Ambiguous}. The
 * API key is sent in the Authorization header and nowhere else; every echoed text is redacted.
 */
public final class HttpProviderClient implements ProviderClient {

  private static final Logger log = LoggerFactory.getLogger(HttpProviderClient.class);

  private final HttpClient http;
  private final ProviderRuntime runtime;
  private final RetrySettings retry;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Redactor redactor;
  private final ProviderAnswerParser parser;
  private final ErrorClassifier classifier;
  private final String authorization;
  private final Optional<String> versionHeader;
  private final Duration requestTimeout;
  private final URI restyleUri;
  private final URI actOneUri;
  private final URI feedUri;
  private final CallRetrier retrier;
  private final UnknownStatusLog unknownStatuses;
  private final PauseAwareWait waiter;

  /** Reads one 2xx-or-not answer into a result or a classified error. */
  @FunctionalInterface
  private interface AnswerReader<T> {
    T read(HttpResponse<String> response) throws ProviderException;
  }

  public HttpProviderClient(
      ProviderSettings settings, HttpClient http, ProviderRuntime runtime, RetrySettings retry) {
    this(settings, http, runtime, retry, new PauseAwareWait());
  }

  HttpProviderClient(
      ProviderSettings settings,
      HttpClient http,
      ProviderRuntime runtime,
      RetrySettings retry,
      PauseAwareWait waiter) {
    Objects.requireNonNull(settings, "settings");
    this.waiter = Objects.requireNonNull(waiter, "waiter");
    this.http = Objects.requireNonNull(http, "http");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.retry = Objects.requireNonNull(retry, "retry");
    if (settings.apiKey().isEmpty()) {
      throw new IllegalArgumentException("the provider API key is empty");
    }
    this.redactor = new Redactor(settings.apiKey());
    this.parser = new ProviderAnswerParser(mapper, new StatusNormaliser(), redactor);
    this.classifier = new ErrorClassifier(retry.safeSubmitRetryStatuses(), parser, redactor);
    this.retrier = new CallRetrier(runtime.sleeper(), runtime.metrics());
    this.unknownStatuses = new UnknownStatusLog(runtime.metrics(), redactor);
    this.authorization = "Bearer " + settings.apiKey().reveal();
    this.versionHeader = settings.versionHeader().filter(v -> !v.isBlank());
    this.requestTimeout = Objects.requireNonNull(settings.requestTimeout(), "requestTimeout");
    this.restyleUri = endpointUri(settings.baseUrl(), settings.restylePath());
    this.actOneUri = endpointUri(settings.baseUrl(), settings.actOnePath());
    this.feedUri = endpointUri(settings.baseUrl(), settings.feedPath());
  }

  @Override
  public String submitRestyle(
      RestyleCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException {
    ObjectNode body = mapper.createObjectNode();
    body.put("callback_url", callbackUrl.toString());
    body.put("video", command.getSourceVideoUrl());
    body.put("model", command.getModel());
    body.put("prompt", command.getPrompt());
    ObjectNode options = body.putObject("options");
    options.put("structure_transformation", command.getOptions().getStructureTransformation());
    options.put("flip", command.getOptions().getFlip());
    return submit(ProviderEndpoint.RESTYLE, restyleUri, body, command.getJobId(), permit);
  }

  @Override
  public String submitActOne(ActOneCommand command, URI callbackUrl, Optional<SubmitPermit> permit)
      throws ProviderException {
    ObjectNode body = mapper.createObjectNode();
    body.put("video", command.getPerformanceVideoUrl());
    body.put("image", command.getCharacterImageUrl());
    body.put("callback_url", callbackUrl.toString());
    return submit(ProviderEndpoint.ACT_ONE, actOneUri, body, command.getJobId(), permit);
  }

  @Override
  public TaskSnapshot getTask(String taskId) throws ProviderException {
    if (taskId == null || taskId.isBlank()) {
      throw new Rejected("provider feed: the task id is blank");
    }
    byte[] body = json(mapper.createObjectNode().put("task_id", taskId));
    TaskSnapshot snapshot =
        retrier.run(
            ProviderEndpoint.FEED,
            retry.poll(),
            "task " + taskId,
            () ->
                exchange(ProviderEndpoint.FEED, feedUri, body, false, r -> feedAnswer(r, taskId)));
    if (snapshot.status() == TaskStatus.UNKNOWN) {
      unknownStatuses.report(snapshot);
    }
    return snapshot;
  }

  private String submit(
      ProviderEndpoint endpoint,
      URI uri,
      ObjectNode body,
      String jobId,
      Optional<SubmitPermit> permit)
      throws ProviderException {
    SubmissionGate gate = runtime.gate();
    boolean mayPass =
        permit.isPresent()
            ? gate.isOpen() || permit.get().probe()
            : gate.isOpen() || gate.tryAcquireProbe(runtime.clock().instant());
    if (!mayPass) {
      throw new Fatal(
          gate.reason().orElse(ProviderException.FatalReason.UNAUTHORIZED),
          "provider submit "
              + endpoint.label()
              + ": submissions are paused ("
              + gate.reason().map(Enum::name).orElse("?")
              + " since "
              + gate.closedSince().map(Object::toString).orElse("?")
              + "); the request was not sent");
    }
    byte[] bytes = json(body);
    // the first request uses the permit taken before the intent; a retry waits for a new one.
    // A submit with a permit is one attempt: a retry here would POST after a SIGTERM or after the
    // permit (the ownership proof) went stale; the job's step requeues it through a new permit.
    AtomicBoolean prepaid = new AtomicBoolean(permit.isPresent());
    RetryPolicy policy =
        permit.isPresent() ? new RetryPolicy(retry.submit().backoff(), 1) : retry.submit();
    String taskId =
        retrier.run(
            endpoint,
            policy,
            "job " + jobId,
            () ->
                exchange(
                    endpoint,
                    uri,
                    bytes,
                    prepaid.getAndSet(false),
                    r -> submitAnswer(endpoint, r)));
    if (!gate.isOpen() && gate.reopen()) {
      runtime.metrics().onSubmissionsResumed();
    }
    log.info("provider took {} for job {} as task {}", endpoint.label(), jobId, taskId);
    return taskId;
  }

  private <T> T exchange(
      ProviderEndpoint endpoint, URI uri, byte[] body, boolean prepaid, AnswerReader<T> reader)
      throws ProviderException {
    RateLimiter limiter = limiter(endpoint);
    try {
      if (!prepaid) {
        limiter.acquire();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Retryable(
          "provider "
              + endpoint.label()
              + ": interrupted while waiting for the "
              + limiter.name()
              + " rate limiter; the request was not sent",
          Optional.empty(),
          e);
    }
    long started = System.nanoTime();
    try {
      HttpResponse<String> response = send(endpoint, request(uri, body));
      log.debug("provider {}: HTTP {}", endpoint.label(), response.statusCode());
      T result = reader.read(response);
      record(endpoint, OutcomeClass.OK, started);
      return result;
    } catch (ProviderException e) {
      record(endpoint, OutcomeClass.of(e), started);
      afterFailure(endpoint, e);
      throw e;
    }
  }

  private HttpResponse<String> send(ProviderEndpoint endpoint, HttpRequest request)
      throws ProviderException {
    try {
      // our own pause-aware timeout, not the request's: the JDK's timer would fire on SIGCONT
      // before the answer already in the socket is read (see PauseAwareWait)
      return waiter.await(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)),
          requestTimeout);
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

  private String submitAnswer(ProviderEndpoint endpoint, HttpResponse<String> response)
      throws ProviderException {
    Envelope envelope = envelope(endpoint, response);
    try {
      return parser.taskId(envelope);
    } catch (ProviderAnswerException e) {
      throw classifier.classifyMalformed(endpoint, e);
    }
  }

  private TaskSnapshot feedAnswer(HttpResponse<String> response, String taskId)
      throws ProviderException {
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
          runtime.clock().instant());
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

  private void afterFailure(ProviderEndpoint endpoint, ProviderException error) {
    switch (error) {
      case Fatal f -> {
        if (runtime.gate().close(f.reason())) {
          runtime.metrics().onSubmissionsPaused(f.reason());
        }
        log.error("{}", f.getMessage());
      }
      case Retryable r when r.rateLimited() -> {
        Duration pause = r.retryAfter().orElse(policy(endpoint).backoff().initial());
        limiter(endpoint).backOffUntil(runtime.clock().instant().plus(pause));
        log.warn(
            "{}; {} limiter pauses for {} ms",
            r.getMessage(),
            limiter(endpoint).name(),
            pause.toMillis());
      }
      case ProviderException.Ambiguous a -> log.warn("{}", a.getMessage());
      case Rejected r -> log.warn("{}", r.getMessage());
      default -> log.debug("{}", error.getMessage());
    }
  }

  private void record(ProviderEndpoint endpoint, OutcomeClass outcome, long startedNanos) {
    runtime
        .metrics()
        .onRequest(endpoint, outcome, Duration.ofNanos(System.nanoTime() - startedNanos));
  }

  private RateLimiter limiter(ProviderEndpoint endpoint) {
    return endpoint.isSubmit() ? runtime.submitLimiter() : runtime.pollLimiter();
  }

  private RetryPolicy policy(ProviderEndpoint endpoint) {
    return endpoint.isSubmit() ? retry.submit() : retry.poll();
  }

  private byte[] json(ObjectNode body) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a provider request body", e);
    }
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

  @Override
  public String toString() {
    return "HttpProviderClient[" + feedUri.getHost() + "]";
  }
}
