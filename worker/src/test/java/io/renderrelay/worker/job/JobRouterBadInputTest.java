package io.renderrelay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.worker.dlt.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Rejected input never makes the records the worker writes about it large. */
class JobRouterBadInputTest {

  private final JobHarness h = new JobHarness();

  @Test
  void aLargeInvalidCommandIsNotCopiedIntoItsLedgerEntryOrEvent() throws Exception {
    RestyleCommand huge =
        RestyleCommand.newBuilder(JobHarness.restyle("big-1"))
            .setPrompt("p".repeat(200_000))
            .build();
    byte[] bytes = new byte[200_100];
    h.commandBytes.put(bytes, huge);
    h.validationProblems = List.of("prompt: TOO_LONG (200000 chars, at most 1000)");
    h.run(
        new ConsumerRecord<>(
            JobHarness.RESTYLE, 0, 7L, "big-1".getBytes(StandardCharsets.UTF_8), bytes));

    assertThat(h.deadLetters).containsExactly(DeadLetterReason.INVALID_COMMAND);
    assertThat(h.job("big-1").getRestyle().getPrompt()).isEmpty();
    RenderFailed failed = (RenderFailed) h.events.get(0);
    assertThat(failed.getReason()).isEqualTo(FailureReason.INVALID_COMMAND);
    assertThat(failed.getMessage()).contains("TOO_LONG");
  }

  @Test
  void aSmallInvalidCommandKeepsItsCommandAndMetadata() throws Exception {
    h.validationProblems = List.of("sourceVideoUrl: BAD_SCHEME");
    h.run(h.commandRecord(JobHarness.RESTYLE, "small-1", JobHarness.restyle("small-1")));
    assertThat(h.job("small-1").getRestyle().getPrompt())
        .isEqualTo(JobHarness.restyle("small-1").getPrompt());
  }

  @Test
  void manyViolationsMakeABoundedMessage() throws Exception {
    h.validationProblems =
        java.util.Collections.nCopies(5_000, "metadata['k']: TOO_LONG (2000 chars, at most 1024)");
    h.run(h.commandRecord(JobHarness.RESTYLE, "many-1", JobHarness.restyle("many-1")));
    RenderFailed failed = (RenderFailed) h.events.get(0);
    assertThat(failed.getMessage().length())
        .isLessThan(io.renderrelay.worker.job.intake.Intake.MAX_REJECTION_MESSAGE + 100);
  }

  @Test
  void aKeyTooLongForAJobIdIsDeadLetteredWithoutALedgerEntryOrEvent() throws Exception {
    byte[] key = "k".repeat(5_000).getBytes(StandardCharsets.UTF_8);
    h.run(new ConsumerRecord<>(JobHarness.RESTYLE, 0, 9L, key, new byte[] {1, 2}));
    assertThat(h.deadLetters).containsExactly(DeadLetterReason.INVALID_COMMAND);
    assertThat(h.events).isEmpty();
    assertThat(h.on("render.dlt")).hasSize(1);
  }
}
