package io.renderrelay.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RenderOutput;
import io.renderrelay.devstack.simulator.OutputKind;
import io.renderrelay.devstack.simulator.SimulatorControl;
import java.util.Collection;

/** The assertions every end-to-end IT repeats: one terminal event, paid counts, S3 contents. */
final class Expect {

  private Expect() {}

  /** The job's one and only terminal event, which must be a RenderCompleted. */
  static RenderCompleted completed(EventCollector events, String jobId) {
    assertThat(events.eventsOf(jobId)).as("terminal events of %s", jobId).hasSize(1);
    Object e = events.eventsOf(jobId).get(0);
    assertThat(e).as("terminal event of %s", jobId).isInstanceOf(RenderCompleted.class);
    return (RenderCompleted) e;
  }

  /** The job's one and only terminal event, a RenderFailed with {@code reason}. */
  static RenderFailed failed(EventCollector events, String jobId, FailureReason reason) {
    assertThat(events.eventsOf(jobId)).as("terminal events of %s", jobId).hasSize(1);
    Object e = events.eventsOf(jobId).get(0);
    assertThat(e).as("terminal event of %s", jobId).isInstanceOf(RenderFailed.class);
    RenderFailed f = (RenderFailed) e;
    assertThat(f.getReason())
        .as("failure reason of %s (%s)", jobId, f.getMessage())
        .isEqualTo(reason);
    return f;
  }

  /** Each job was paid for exactly {@code n} times (0: the simulator never saw it). */
  static void paid(SimulatorControl sim, int n, Collection<String> jobIds) {
    for (String jobId : jobIds) {
      assertThat(sim.paidSubmissions().getOrDefault(jobId, 0))
          .as("paid submissions of %s", jobId)
          .isEqualTo(n);
    }
  }

  /**
   * The outputs named in the event are in S3 with the size and SHA-256 the event states, and those
   * equal what the simulator served for the provider task.
   */
  static void outputsInS3(
      RenderCompleted done, S3Objects s3, SimulatorControl sim, boolean withImages) {
    output(done.getVideo(), done.getProviderTaskId(), OutputKind.VIDEO, s3, sim);
    if (withImages) {
      assertThat(done.getPoster()).as("poster of %s", done.getJobId()).isNotNull();
      assertThat(done.getLastFrame()).as("last frame of %s", done.getJobId()).isNotNull();
      output(done.getPoster(), done.getProviderTaskId(), OutputKind.POSTER, s3, sim);
      output(done.getLastFrame(), done.getProviderTaskId(), OutputKind.LAST_FRAME, s3, sim);
    }
  }

  private static void output(
      RenderOutput out, String taskId, OutputKind kind, S3Objects s3, SimulatorControl sim) {
    assertThat(out.getBucket()).isEqualTo(s3.bucket());
    assertThat(out.getUri()).isEqualTo("s3://" + out.getBucket() + "/" + out.getKey());
    assertThat(out.getKey()).endsWith("/" + kind.fileName());
    S3Objects.Stored stored = s3.download(out.getKey());
    assertThat(stored.sha256()).as("S3 SHA-256 of %s", out.getKey()).isEqualTo(out.getSha256());
    assertThat(stored.sizeBytes()).as("S3 size of %s", out.getKey()).isEqualTo(out.getSizeBytes());
    assertThat(stored.contentType())
        .as("content type of %s", out.getKey())
        .isEqualTo(kind.contentType());
    assertThat(out.getSha256())
        .as("served SHA-256 of %s", out.getKey())
        .isEqualTo(sim.outputChecksum(taskId, kind));
    assertThat(out.getSizeBytes())
        .as("served size of %s", out.getKey())
        .isEqualTo(sim.outputSize(taskId, kind));
  }
}
