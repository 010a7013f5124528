package io.renderrelay.worker.preflight;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.retry.Backoff;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What the job steps need to run the pre-flight check: the check, how transient failures are
 * retried, and where results are counted.
 *
 * @param check the check of one job's inputs (an {@link InputChecker})
 * @param backoff delay before checking again after a transient failure
 * @param maxAttempts checks before a job whose inputs keep failing transiently goes on unchecked
 * @param listener counts each check's result
 */
public record Preflight(Check check, Backoff backoff, int maxAttempts, Listener listener) {

  public Preflight {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(listener, "listener");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
  }

  /** Checks one job's inputs. */
  @FunctionalInterface
  public interface Check {
    /**
     * @param wanted false once the result is no longer wanted (the worker stops, the partition
     *     moves): a check still waiting for its turn gives up with a Transient verdict
     */
    Verdict check(JobState job, BooleanSupplier wanted);
  }

  /** Receives each check's result (the metric). */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param result passed, unchecked, rejected, retry or gave_up
     * @param rule the refusing rule's tag, or none
     */
    void checked(io.renderrelay.avro.JobType type, String result, String rule);
  }
}
