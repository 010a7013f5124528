package io.renderrelay.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.worker.provider.ProviderException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job that ended without being paid runs again when its command comes again (a corrected
 * re-publish, a DLT replay); a paid one stays deduplicated.
 */
class UnpaidRetryTest {

  private final JobHarness h = new JobHarness();

  @Test
  void aCorrectedCommandForAnInvalidOneRunsAgain() throws Exception {
    h.validationProblems = List.of("sourceVideoUrl: must be https");
    h.run(h.commandRecord(JobHarness.RESTYLE, "inv-1", JobHarness.restyle("inv-1")));
    assertThat(h.job("inv-1").getPhase()).isEqualTo(JobPhase.FAILED);

    h.validationProblems = List.of();
    h.run(h.commandRecord(JobHarness.RESTYLE, "inv-1", JobHarness.restyle("inv-1")));

    assertThat(h.provider.submits).containsEntry("inv-1", 1);
    assertThat(h.job("inv-1").getPhase()).isEqualTo(JobPhase.POLLING);
    assertThat(h.duplicates.get()).isZero();
  }

  @Test
  void aDecodableCommandAfterAnUndecodableOneRunsAgain() throws Exception {
    h.run(h.rawRecord(JobHarness.ACT_ONE, "bad-1", "not avro".getBytes(StandardCharsets.UTF_8)));
    assertThat(h.job("bad-1").getPhase()).isEqualTo(JobPhase.FAILED);

    h.run(h.commandRecord(JobHarness.ACT_ONE, "bad-1", JobHarness.actOne("bad-1")));

    assertThat(h.provider.submits).containsEntry("bad-1", 1);
    assertThat(h.job("bad-1").getPhase()).isEqualTo(JobPhase.POLLING);
  }

  @Test
  void aPaidJobStaysDeduplicatedWhateverItsEnd() throws Exception {
    h.provider.submitAnswers.add(new ProviderException.Ambiguous("read timed out", null));
    h.run(h.commandRecord(JobHarness.RESTYLE, "amb-1", JobHarness.restyle("amb-1")));
    JobState ambiguous = h.job("amb-1");
    assertThat(ambiguous.getPhase()).isEqualTo(JobPhase.AMBIGUOUS);
    assertThat(ambiguous.getSubmitAttempts()).isPositive();

    h.run(h.commandRecord(JobHarness.RESTYLE, "amb-1", JobHarness.restyle("amb-1")));

    assertThat(h.provider.submits).containsEntry("amb-1", 1);
    assertThat(h.job("amb-1")).isEqualTo(ambiguous);
    assertThat(h.duplicates.get()).isEqualTo(1);
  }
}
