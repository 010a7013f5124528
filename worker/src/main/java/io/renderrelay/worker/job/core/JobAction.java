package io.renderrelay.worker.job.core;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.engine.StepResult;

/** What one stage hands a job on to, as a step (e.g. the poll stage's resubmit of a refund). */
@FunctionalInterface
public interface JobAction {

  StepResult run(JobStep step, JobState job);
}
