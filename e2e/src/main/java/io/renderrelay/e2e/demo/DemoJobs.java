package io.renderrelay.e2e.demo;

import io.renderrelay.avro.JobType;
import io.renderrelay.client.ActOneRequest;
import io.renderrelay.client.RestyleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo's jobs: restyle and act-one requests split half and half (restyle gets the odd one),
 * with job ids unique per run ({@code restyle-<run>-<n>}) and public example input URLs, as an
 * upstream service would send them.
 */
public final class DemoJobs {

  private static final List<String> STYLES =
      List.of("pixel art", "watercolor", "film noir", "claymation", "ukiyo-e", "neon synthwave");

  /**
   * One planned job.
   *
   * @param jobId the job id (the idempotency key)
   * @param type restyle or act-one
   * @param index 1-based number within its type
   */
  public record DemoJob(String jobId, JobType type, int index) {}

  private DemoJobs() {}

  /**
   * Plans {@code count} jobs: {@code ceil(count/2)} restyle, then {@code floor(count/2)} act-one.
   *
   * @param count how many jobs, at least 1
   * @param runId a short id unique to this run, part of every job id
   */
  public static List<DemoJob> plan(int count, String runId) {
    if (count < 1) {
      throw new IllegalArgumentException("the demo needs at least 1 job, got " + count);
    }
    if (!runId.matches("[a-z0-9]{1,16}")) {
      throw new IllegalArgumentException("run id must be 1..16 of [a-z0-9]: " + runId);
    }
    int restyles = (count + 1) / 2;
    List<DemoJob> jobs = new ArrayList<>(count);
    for (int i = 1; i <= restyles; i++) {
      jobs.add(new DemoJob("restyle-" + runId + "-" + i, JobType.RESTYLE, i));
    }
    for (int i = 1; i <= count - restyles; i++) {
      jobs.add(new DemoJob("act-one-" + runId + "-" + i, JobType.ACT_ONE, i));
    }
    return List.copyOf(jobs);
  }

  /** The restyle request of a planned restyle job. */
  public static RestyleRequest restyle(DemoJob job) {
    requireType(job, JobType.RESTYLE);
    String style = STYLES.get((job.index() - 1) % STYLES.size());
    return RestyleRequest.of("https://media.example.com/demo/clip-" + job.index() + ".mp4", style)
        .withJobId(job.jobId())
        .withMetadata(Map.of("origin", "scripts/demo", "style", style));
  }

  /** The act-one request of a planned act-one job. */
  public static ActOneRequest actOne(DemoJob job) {
    requireType(job, JobType.ACT_ONE);
    return ActOneRequest.of(
            "https://media.example.com/demo/performance-" + job.index() + ".mp4",
            "https://media.example.com/demo/character-" + job.index() + ".png")
        .withJobId(job.jobId())
        .withMetadata(Map.of("origin", "scripts/demo"));
  }

  private static void requireType(DemoJob job, JobType type) {
    if (job.type() != type) {
      throw new IllegalArgumentException(job.jobId() + " is a " + job.type() + " job, not " + type);
    }
  }
}
