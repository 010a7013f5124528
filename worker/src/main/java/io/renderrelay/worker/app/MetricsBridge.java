package io.renderrelay.worker.app;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.engine.PipelineListener;
import io.renderrelay.worker.job.core.JobListener;
import io.renderrelay.worker.metrics.Metrics;
import io.renderrelay.worker.provider.OutcomeClass;
import io.renderrelay.worker.provider.ProviderEndpoint;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.ProviderMetrics;
import io.renderrelay.worker.storage.CopyMetrics;
import io.renderrelay.worker.storage.OutputKind;
import java.time.Duration;
import java.util.Locale;

/**
 * Translates what the engine, the job logic, the provider client and the S3 copier report into the
 * metrics catalogue. It only observes: it holds no state between calls (consumer lag, which sums
 * the tiers' last values, is {@link ConsumerLag}; the gate, the limiters and the jobs keep their
 * own state and report changes here).
 */
final class MetricsBridge implements PipelineListener, JobListener, ProviderMetrics, CopyMetrics {

  private final Metrics metrics;
  private final AmbiguousPolicy policy;

  /**
   * @param policy the configured ambiguous-submit policy: a fixed tag of the ambiguous-job metric
   */
  MetricsBridge(Metrics metrics, AmbiguousPolicy policy) {
    this.metrics = metrics;
    this.policy = policy;
  }

  @Override
  public void transition(JobType type, JobPhase from, JobPhase to, String outcome) {
    metrics.jobTransition(type, stage(from, to), outcome(to));
    if (to == JobPhase.AMBIGUOUS) {
      metrics.ambiguousJob(type, policy.name().toLowerCase(Locale.ROOT));
    }
  }

  @Override
  public void duplicateCommand(JobType type) {
    metrics.duplicateCommand(type, "dropped");
  }

  @Override
  public void deadLetter(DeadLetterReason reason) {
    metrics.deadLettered(reason);
  }

  @Override
  public void registryUnavailable() {
    metrics.error("registry", "retryable");
  }

  @Override
  public void copyFinished(CopyMetrics.Outcome outcome, long bytes, Duration duration) {
    switch (outcome) {
      case RETRYABLE -> metrics.error("storage", "retryable");
      case EXPIRED -> metrics.error("storage", "not_found");
      case REJECTED -> metrics.error("storage", "rejected");
      case UPLOADED, ALREADY_PRESENT -> {}
    }
  }

  @Override
  public void outputCopied(JobType type, OutputKind kind, long bytes, Duration took) {
    metrics.outputCopied(type, kind.name().toLowerCase(Locale.ROOT), bytes, took);
  }

  @Override
  public void onRequest(ProviderEndpoint endpoint, OutcomeClass outcome, Duration latency) {
    String answerClass = answerClass(outcome);
    metrics.providerCall(endpoint(endpoint), answerClass, latency);
    if (outcome != OutcomeClass.OK) {
      metrics.error("provider", answerClass);
    }
  }

  @Override
  public void onRateLimitWait(String limiter, Duration waited) {
    metrics.rateLimiterWait(limiter, waited);
  }

  @Override
  public void onUnknownStatus(String rawStatus) {
    metrics.unknownProviderStatus(JobType.UNKNOWN);
  }

  @Override
  public void onSubmissionsPaused(ProviderException.FatalReason reason) {
    metrics.submissionGate(
        reason == ProviderException.FatalReason.NO_CREDIT ? "paused_no_credit" : "stopped_bad_key");
  }

  @Override
  public void onSubmissionsResumed() {
    metrics.submissionGate("open");
  }

  @Override
  public void transactionCommitted(int records, int offsets, Duration took) {
    metrics.transactionCommitted();
  }

  @Override
  public void transactionFailed(Throwable error) {
    metrics.transactionAborted();
    metrics.error("kafka", "retryable");
  }

  @Override
  public void pollLateness(String topic, Duration late) {
    metrics.pollLateness(topic, late.isNegative() ? Duration.ZERO : late);
  }

  // ---- issue 17: latency histograms

  @Override
  public void jobEnded(
      JobType type, boolean completed, Duration sinceIntake, Duration sinceRequested) {
    metrics.jobEnded(type, completed ? "completed" : "failed", sinceIntake, sinceRequested);
  }

  @Override
  public void providerRendered(JobType type, Duration took) {
    metrics.providerRender(type, took);
  }

  /** The catalogue's endpoint tag of a provider endpoint. */
  static String endpoint(ProviderEndpoint endpoint) {
    return switch (endpoint) {
      case RESTYLE -> "submit_restyle";
      case ACT_ONE -> "submit_act_one";
      case FEED -> "feed";
    };
  }

  /** The catalogue's answer class of a provider outcome. */
  static String answerClass(OutcomeClass outcome) {
    return outcome == OutcomeClass.TASK_NOT_FOUND ? "not_found" : outcome.label();
  }

  private static String stage(JobPhase from, JobPhase to) {
    if (to == JobPhase.COMPLETED) {
      return "copy";
    }
    return switch (from) {
      case QUEUED, UNKNOWN -> "intake";
      case SUBMITTING -> "submit";
      case COPYING -> "copy";
      default -> "poll";
    };
  }

  private static String outcome(JobPhase to) {
    return switch (to) {
      case FAILED -> "failed";
      case AMBIGUOUS -> "ambiguous";
      case QUEUED -> "retry";
      default -> "ok";
    };
  }
}
