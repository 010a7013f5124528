package io.renderrelay.worker.provider;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Metrics that remember what they were told. */
final class RecordingMetrics implements ProviderMetrics {
  record Request(ProviderEndpoint endpoint, OutcomeClass outcome) {}

  record Wait(String limiter, Duration waited) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final List<Wait> waits = new CopyOnWriteArrayList<>();
  final List<String> unknownStatuses = new CopyOnWriteArrayList<>();
  final List<ProviderEndpoint> retries = new CopyOnWriteArrayList<>();
  final List<ProviderException.FatalReason> pauses = new CopyOnWriteArrayList<>();
  final List<String> resumes = new CopyOnWriteArrayList<>();

  @Override
  public void onRequest(ProviderEndpoint endpoint, OutcomeClass outcome, Duration latency) {
    requests.add(new Request(endpoint, outcome));
  }

  @Override
  public void onRateLimitWait(String limiter, Duration waited) {
    waits.add(new Wait(limiter, waited));
  }

  @Override
  public void onUnknownStatus(String rawStatus) {
    unknownStatuses.add(rawStatus);
  }

  @Override
  public void onRetry(ProviderEndpoint endpoint) {
    retries.add(endpoint);
  }

  @Override
  public void onSubmissionsPaused(ProviderException.FatalReason reason) {
    pauses.add(reason);
  }

  @Override
  public void onSubmissionsResumed() {
    resumes.add("resumed");
  }
}
