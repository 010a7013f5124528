package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.JobType;
import io.renderrelay.client.RestyleRequest;
import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoJobsTest {

  @Test
  void splitsHalfAndHalfWithTheOddJobARestyle() {
    List<DemoJob> jobs = DemoJobs.plan(5, "ab12");
    assertThat(jobs)
        .extracting(DemoJob::type)
        .containsExactly(
            JobType.RESTYLE, JobType.RESTYLE, JobType.RESTYLE, JobType.ACT_ONE, JobType.ACT_ONE);
    assertThat(jobs)
        .extracting(DemoJob::jobId)
        .containsExactly(
            "restyle-ab12-1",
            "restyle-ab12-2",
            "restyle-ab12-3",
            "act-one-ab12-1",
            "act-one-ab12-2");
    assertThat(DemoJobs.plan(1, "x")).extracting(DemoJob::type).containsExactly(JobType.RESTYLE);
  }

  @Test
  void rejectsNoJobsAndBadRunIds() {
    assertThatThrownBy(() -> DemoJobs.plan(0, "ab")).hasMessageContaining("at least 1 job");
    assertThatThrownBy(() -> DemoJobs.plan(2, "A B")).hasMessageContaining("run id");
  }

  @Test
  void requestsCarryTheJobIdAndPublicHttpsInputs() {
    List<DemoJob> jobs = DemoJobs.plan(2, "run1");
    RestyleRequest r = DemoJobs.restyle(jobs.get(0));
    assertThat(r.jobId()).contains("restyle-run1-1");
    assertThat(r.sourceVideoUrl()).startsWith("https://media.example.com/");
    assertThat(r.prompt()).isNotBlank();
    assertThat(DemoJobs.actOne(jobs.get(1)).jobId()).contains("act-one-run1-1");
  }

  @Test
  void refusesARequestOfTheOtherType() {
    DemoJob actOne = DemoJobs.plan(2, "z").get(1);
    assertThatThrownBy(() -> DemoJobs.restyle(actOne)).hasMessageContaining("not RESTYLE");
  }
}
