package io.renderrelay.worker.provider;

import java.time.Duration;

/** {@link ProviderMetrics} that records nothing, until the metrics module is wired in. */
public final class NoopProviderMetrics implements ProviderMetrics {

  @Override
  public void onRequest(ProviderEndpoint endpoint, OutcomeClass outcome, Duration latency) {}

  @Override
  public void onRateLimitWait(String limiter, Duration waited) {}

  @Override
  public void onUnknownStatus(String rawStatus) {}
}
