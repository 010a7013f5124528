package io.renderrelay.worker.job.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.renderrelay.avro.ActOneCommand;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.PollTicket;
import io.renderrelay.avro.RestyleCommand;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class JobCommandTest {

  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  /** The fields JobCommand reads by name from either command. */
  private static final List<String> SHARED =
      List.of("jobId", "requestedAt", "deadline", "metadata", "outputPrefix");

  @Test
  void bothCommandSchemasCarryTheSharedFieldsWithTheSameType() {
    for (String name : SHARED) {
      Schema.Field restyle = RestyleCommand.getClassSchema().getField(name);
      Schema.Field actOne = ActOneCommand.getClassSchema().getField(name);
      assertThat(restyle).as("restyle %s", name).isNotNull();
      assertThat(actOne).as("act-one %s", name).isNotNull();
      assertThat(actOne.schema()).as(name).isEqualTo(restyle.schema());
    }
  }

  @Test
  void aRestyleAnswersItsFields() {
    JobCommand c =
        JobCommand.of(
            RestyleCommand.newBuilder()
                .setJobId("r-1")
                .setSourceVideoUrl("https://cdn/in.mp4")
                .setPrompt("pixelated")
                .setOutputPrefix("tenant-a")
                .setMetadata(Map.of("k", "v"))
                .setRequestedAt(AT)
                .setDeadline(AT.plusSeconds(60))
                .build());
    assertThat(c).isInstanceOf(JobCommand.Restyle.class);
    assertThat(c.type()).isEqualTo(JobType.RESTYLE);
    assertThat(c.jobId()).isEqualTo("r-1");
    assertThat(c.requestedAt()).isEqualTo(AT);
    assertThat(c.deadline()).contains(AT.plusSeconds(60));
    assertThat(c.metadata()).containsEntry("k", "v");
    assertThat(c.outputPrefix()).contains("tenant-a");
    assertThat(c.prompt()).contains("pixelated");
  }

  @Test
  void anActOneAnswersItsFieldsAndHasNoPrompt() {
    JobCommand c =
        JobCommand.of(
            ActOneCommand.newBuilder()
                .setJobId("a-1")
                .setPerformanceVideoUrl("https://cdn/perf.mp4")
                .setCharacterImageUrl("https://cdn/char.png")
                .setRequestedAt(AT)
                .build());
    assertThat(c.type()).isEqualTo(JobType.ACT_ONE);
    assertThat(c.jobId()).isEqualTo("a-1");
    assertThat(c.deadline()).isEmpty();
    assertThat(c.outputPrefix()).isEmpty();
    assertThat(c.prompt()).isEmpty();
  }

  @Test
  void aLedgerEntryGivesBackTheCommandItWasAcceptedWith() {
    JobCommand c =
        JobCommand.of(
            ActOneCommand.newBuilder()
                .setJobId("a-2")
                .setPerformanceVideoUrl("https://cdn/perf.mp4")
                .setCharacterImageUrl("https://cdn/char.png")
                .setRequestedAt(AT)
                .build());
    JobState job = Jobs.accepted(c, AT, AT.plusSeconds(3600));
    assertThat(job.getJobId()).isEqualTo("a-2");
    assertThat(job.getJobType()).isEqualTo(JobType.ACT_ONE);
    assertThat(job.getPhase()).isEqualTo(JobPhase.QUEUED);
    assertThat(job.getRestyle()).isNull();
    assertThat(JobCommand.of(job)).contains(c);
  }

  @Test
  void anythingElseIsNotACommand() {
    PollTicket ticket =
        PollTicket.newBuilder()
            .setJobId("x")
            .setSeq(0)
            .setDueAt(AT)
            .setIssuedAt(AT)
            .setKind(io.renderrelay.avro.TicketKind.CALLBACK)
            .build();
    assertThat(JobCommand.from(ticket)).isEmpty();
    assertThat(JobCommand.from(null)).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> JobCommand.of(ticket)).isInstanceOf(IllegalArgumentException.class);
  }
}
