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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
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

  private final ProviderRuntime runtime;
  private final RetrySettings retry;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Redactor redactor;
  private final ProviderHttp wire;
  private final URI restyleUri;
  private final URI actOneUri;
  private final URI feedUri;
  private final CallRetrier retrier;
  private final UnknownStatusLog unknownStatuses;

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
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(waiter, "waiter");
    this.retry = Objects.requireNonNull(retry, "retry");
    if (settings.apiKey().isEmpty()) {
      throw new IllegalArgumentException("the provider API key is empty");
    }
    this.redactor = new Redactor(settings.apiKey());
    this.retrier = new CallRetrier(runtime.sleeper(), runtime.metrics());
    this.unknownStatuses = new UnknownStatusLog(runtime.metrics(), redactor);
    this.wire =
        new ProviderHttp(
            http,
            waiter,
            mapper,
            redactor,
            retry,
            "Bearer " + settings.apiKey().reveal(),
            settings.versionHeader(),
            settings.requestTimeout(),
            runtime.clock());
    this.restyleUri = ProviderHttp.endpointUri(settings.baseUrl(), settings.restylePath());
    this.actOneUri = ProviderHttp.endpointUri(settings.baseUrl(), settings.actOnePath());
    this.feedUri = ProviderHttp.endpointUri(settings.baseUrl(), settings.feedPath());
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
                exchange(
                    ProviderEndpoint.FEED, feedUri, body, false, r -> wire.snapshot(r, taskId)));
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
                    endpoint, uri, bytes, prepaid.getAndSet(false), r -> wire.taskId(endpoint, r)));
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
    if (prepaid) {
      heldBack(endpoint, limiter);
    }
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
      HttpResponse<String> response = wire.post(endpoint, uri, body);
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

  /**
   * A permit taken before its intent stays good for its POST for a while (a third of the session
   * timeout): one granted before the provider's 429 is not sent inside the back-off that followed.
   */
  private static void heldBack(ProviderEndpoint endpoint, RateLimiter limiter) throws Retryable {
    Optional<Duration> backOff = limiter.backOffLeft();
    if (backOff.isPresent()) {
      Duration left = backOff.get();
      throw new Retryable(
          "provider "
              + endpoint.label()
              + ": the "
              + limiter.name()
              + " limiter is backing off for "
              + left.toMillis()
              + " ms after the provider's 429; the request was not sent",
          Optional.of(left),
          null);
    }
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

  @Override
  public String toString() {
    return "HttpProviderClient[" + feedUri.getHost() + "]";
  }
}
