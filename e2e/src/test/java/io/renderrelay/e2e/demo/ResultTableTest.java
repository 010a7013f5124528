package io.renderrelay.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.e2e.demo.DemoJobs.DemoJob;
import io.renderrelay.e2e.demo.JobTracker.Outcome;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultTableTest {

  @Test
  void rowsShowStateAttemptsKeySizeAndShaPrefix() {
    List<DemoJob> jobs = DemoJobs.plan(3, "r1");
    ResultTable.Row done =
        ResultTable.row(
            jobs.get(0),
            Optional.of(new Outcome.Completed(DemoRunnerTest.completed("restyle-r1-1"))));
    assertThat(done)
        .isEqualTo(
            new ResultTable.Row(
                "restyle-r1-1",
                "restyle",
                "COMPLETED",
                "1",
                "renders/restyle/restyle-r1-1/video.mp4",
                "262144",
                "aaaaaaaaaaaa"));
    ResultTable.Row failed =
        ResultTable.row(
            jobs.get(1), Optional.of(new Outcome.Failed(DemoRunnerTest.failed("restyle-r1-2"))));
    assertThat(failed.state()).isEqualTo("FAILED(MODERATION)");
    assertThat(failed.key()).isEqualTo("-");
    ResultTable.Row lost = ResultTable.row(jobs.get(2), Optional.empty());
    assertThat(lost.type()).isEqualTo("act-one");
    assertThat(lost.state()).isEqualTo(ResultTable.LOST);
  }

  @Test
  void columnsAreAlignedNumbersToTheRight() {
    List<String> lines =
        ResultTable.format(
            List.of(
                new ResultTable.Row(
                    "a", "restyle", "COMPLETED", "1", "k/long-key.mp4", "262144", "ab"),
                new ResultTable.Row("bb", "act-one", "LOST", "-", "-", "-", "-")));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .isEqualTo("JOB  TYPE     STATE      ATTEMPTS  S3 KEY (video)   BYTES  SHA256");
    assertThat(lines.get(1))
        .isEqualTo("---  -------  ---------  --------  --------------  ------  ------");
    assertThat(lines.get(2))
        .isEqualTo("a    restyle  COMPLETED         1  k/long-key.mp4  262144  ab");
    assertThat(lines.get(3))
        .isEqualTo("bb   act-one  LOST              -  -                    -  -");
  }

  @Test
  void layoutNamesTheCommonKeyPrefixAndTheFilesOfAJob() {
    var restyle = DemoRunnerTest.completed("restyle-r2-1");
    restyle.setPoster(
        new io.renderrelay.avro.RenderOutput(
            "renders", "renders/restyle/restyle-r2-1/poster.png", "s3://x", 1L, "b", "image/png"));
    var actOne = DemoRunnerTest.completed("act-one-r2-1");
    assertThat(ResultTable.layout(List.of(restyle, actOne)))
        .contains("under renders/, per job: video.mp4, poster.png");
    assertThat(ResultTable.layout(List.of(actOne)))
        .contains("under renders/act-one/act-one-r2-1/, per job: video.mp4");
    assertThat(ResultTable.layout(List.of())).isEmpty();
  }
}
