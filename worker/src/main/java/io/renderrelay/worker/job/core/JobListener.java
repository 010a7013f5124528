package io.renderrelay.worker.job.core;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobType;
import io.renderrelay.worker.dlt.DeadLetterReason;
import io.renderrelay.worker.storage.OutputKind;
import java.time.Duration;

/** What the job logic reports for metrics (every tag value from a closed set). */
public interface JobListener {

  default void transition(JobType type, JobPhase from, JobPhase to, String outcome) {}

  default void duplicateCommand(JobType type) {}

  default void deadLetter(DeadLetterReason reason) {}

  default void staleTicket() {}

  /** The schema registry could not be reached while decoding a command (retried later). */
  default void registryUnavailable() {}

  default void callbackPoll() {}

  default void outputCopied(JobType type, OutputKind kind, long bytes, Duration took) {}

  // ---- issue 17: latency histograms

  /**
   * A job reached its terminal event, {@code sinceIntake} after its ledger entry was created and
   * {@code sinceRequested} after the command's requestedAt.
   */
  default void jobEnded(
      JobType type, boolean completed, Duration sinceIntake, Duration sinceRequested) {}

  /** The provider reports it rendered a succeeded task in {@code took}. */
  default void providerRendered(JobType type, Duration took) {}

  JobListener NONE = new JobListener() {};
}
