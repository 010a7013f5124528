package io.renderrelay.worker.job.core;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.worker.job.state.JobCommand;
import io.renderrelay.worker.job.state.Jobs;
import io.renderrelay.worker.provider.TaskSnapshot;
import io.renderrelay.worker.storage.CopiedObject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Builds the terminal events downstream transcoders consume, echoing the caller's metadata. */
public final class EventFactory {

  public RenderCompleted completed(
      JobState job,
      TaskSnapshot task,
      CopiedObject video,
      Optional<CopiedObject> poster,
      Optional<CopiedObject> lastFrame,
      Instant renderedAt,
      Instant now) {
    JobCommand command = Jobs.command(job);
    return RenderCompleted.newBuilder()
        .setJobId(job.getJobId())
        .setJobType(job.getJobType())
        .setProviderTaskId(task.taskId())
        .setVideo(output(video))
        .setPoster(poster.map(EventFactory::output).orElse(null))
        .setLastFrame(lastFrame.map(EventFactory::output).orElse(null))
        .setPrompt(task.prompt().or(command::prompt).orElse(null))
        .setPromptEn(task.promptEn().orElse(null))
        .setRequestedAt(command.requestedAt())
        .setSubmittedAt(job.getSubmittedAt() == null ? job.getCreatedAt() : job.getSubmittedAt())
        .setRenderedAt(renderedAt)
        .setCompletedAt(now)
        .setAttempts(job.getSubmitAttempts())
        .setPolls(job.getPolls())
        .setMetadata(Map.copyOf(command.metadata()))
        .setEstimatedCostMicros(job.getEstimatedCostMicros())
        .setCostCurrency(job.getCostCurrency())
        .build();
  }

  public RenderFailed failed(JobState job, Failure failure, Instant now) {
    return RenderFailed.newBuilder()
        .setJobId(job.getJobId())
        .setJobType(job.getJobType())
        .setReason(failure.reason())
        .setMessage(failure.message())
        .setProviderTaskId(job.getTaskId())
        .setProviderStatus(failure.providerStatus().orElse(null))
        .setRetryable(failure.retryable())
        .setFailedAt(now)
        .setAttempts(job.getSubmitAttempts())
        .setMetadata(Map.copyOf(Jobs.command(job).metadata()))
        .setEstimatedCostMicros(job.getEstimatedCostMicros())
        .setCostCurrency(job.getCostCurrency())
        .build();
  }

  private static RenderOutput output(CopiedObject o) {
    return RenderOutput.newBuilder()
        .setBucket(o.bucket())
        .setKey(o.key())
        .setUri(o.uri())
        .setSizeBytes(o.sizeBytes())
        .setSha256(o.sha256Hex())
        .setContentType(o.contentType())
        .build();
  }
}
