package io.renderrelay.worker.job.core;

import io.renderrelay.avro.JobState;
import io.renderrelay.worker.storage.OutputKind;

/** Where a job's outputs go in the bucket: deterministic from the jobId and output prefix. */
@FunctionalInterface
public interface OutputKeys {

  String key(JobState job, OutputKind kind);
}
