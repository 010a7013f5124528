package io.renderrelay.worker.job;

import static io.renderrelay.worker.job.JobHarness.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.FailureReason;
import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.RenderCompleted;
import io.renderrelay.avro.RenderFailed;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.avro.SpendKind;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.config.SpendSettings.Cap;
import io.renderrelay.worker.config.SpendSettings.OnExhausted;
import io.renderrelay.worker.config.SpendSettings.Period;
import io.renderrelay.worker.config.SpendSettings.Price;
import io.renderrelay.worker.ledger.InternalCodec;
import io.renderrelay.worker.provider.ProviderException;
import io.renderrelay.worker.provider.TaskStatus;
import io.renderrelay.worker.spend.Pricing;
import io.renderrelay.worker.spend.SpendBook;
import io.renderrelay.worker.spend.SpendGuard;
import io.renderrelay.worker.spend.SpendJournal;
import io.renderrelay.worker.spend.SpendListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The budget guard on the job steps (issue 14), with the journal read back after each step. */
class BudgetGuardJobTest {

  private static final long DIME = 100_000;

  private final JobHarness h = new JobHarness();
  private final InternalCodec<SpendEntry> codec =
      InternalCodec.spendEntries(ReleasedSchemas.load());
  private final List<SpendEntry> journal = new ArrayList<>();
  private SpendBook book;

  private void guard(Optional<Cap> global, Map<String, Cap> tenants, OnExhausted on, int inFlight) {
    SpendSettings s =
        new SpendSettings(
            true,
            "render.spend",
            "USD",
            List.of(new Price("restyle", Optional.empty(), DIME, 0)),
            Duration.ofSeconds(10),
            "tenant",
            global,
            tenants,
            on,
            inFlight,
            20,
            Duration.ofSeconds(30));
    Pricing pricing = new Pricing(s);
    book = new SpendBook();
    journal.forEach(book::apply); // a restarted replica reads the journal again
    SpendGuard g =
        new SpendGuard(
            s,
            pricing,
            book,
            new SpendJournal("render.spend", "w-1", codec, pricing),
            () -> true,
            SpendListener.NONE,
            h.clock);
    h.spend = g;
    h.afterCommit =
        r -> {
          if (r.topic().equals("render.spend")) {
            SpendEntry e = codec.decode(r.value());
            journal.add(e);
            book.apply(e);
            g.read(e);
          }
        };
    h.rebuild();
  }

  private static RestyleCommand of(String jobId, String tenant) {
    RestyleCommand c = JobHarness.restyle(jobId);
    c.setMetadata(Map.of("tenant", tenant));
    c.setDeadline(c.getRequestedAt().plus(Duration.ofDays(3))); // holds outlast a day
    return c;
  }

  private void send(String jobId, String tenant) throws Exception {
    h.run(h.commandRecord(JobHarness.RESTYLE, jobId, of(jobId, tenant)));
  }

  @Test
  void aReachedCapHoldsSubmitsUnpaidAndARaisedCapLetsThemRun() throws Exception {
    guard(Optional.of(new Cap(250_000, Period.DAY)), Map.of(), OnExhausted.WAIT, 0);
    send("j-1", "acme");
    send("j-2", "acme");
    send("j-3", "acme");

    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-2");
    assertThat(h.store.get(0, "j-3")).as("held: nothing committed").isEmpty();
    assertThat(h.events).isEmpty();
    assertThat(book.spent(Optional.empty(), "2026-11")).isEqualTo(2 * DIME);
    assertThat(h.job("j-1").getEstimatedCostMicros()).isEqualTo(DIME);
    assertThat(h.job("j-1").getTenant()).isEqualTo("acme");
    assertThat(h.spend.heldJobs()).isEqualTo(1);

    guard(Optional.of(new Cap(1_000_000, Period.DAY)), Map.of(), OnExhausted.WAIT, 0);
    send("j-3", "acme");
    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-2", "j-3");
    assertThat(h.provider.submits.values()).containsOnly(1);
  }

  @Test
  void theNextUtcDayHasItsOwnDailyCap() throws Exception {
    guard(Optional.of(new Cap(DIME, Period.DAY)), Map.of(), OnExhausted.WAIT, 0);
    send("j-1", "acme");
    send("j-2", "acme");
    assertThat(h.provider.submits).containsOnlyKeys("j-1");
    h.clock.advance(Duration.ofDays(1));
    send("j-2", "acme");
    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-2");
  }

  @Test
  void aHeldJobStillEndsAtItsDeadlineUnpaid() throws Exception {
    guard(Optional.of(new Cap(0, Period.MONTH)), Map.of(), OnExhausted.WAIT, 0);
    RestyleCommand c = of("j-1", "acme");
    c.setDeadline(c.getRequestedAt().plus(Duration.ofSeconds(30)));
    h.run(h.commandRecord(JobHarness.RESTYLE, "j-1", c));
    assertThat(h.provider.submits).isEmpty();
    assertThat(((RenderFailed) h.events.get(0)).getReason())
        .isEqualTo(FailureReason.DEADLINE_EXCEEDED);
    assertThat(h.job("j-1").getSubmitAttempts()).isZero();
  }

  @Test
  void aTenantCapHoldsOnlyThatTenant() throws Exception {
    guard(Optional.empty(), Map.of("acme", new Cap(DIME, Period.MONTH)), OnExhausted.WAIT, 0);
    send("j-1", "acme");
    send("j-2", "acme");
    send("j-3", "globex");
    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-3");
  }

  @Test
  void onExhaustedFailEndsTheJobUnpaidAndItsCommandMayRunAgain() throws Exception {
    guard(Optional.of(new Cap(0, Period.DAY)), Map.of(), OnExhausted.FAIL, 0);
    send("j-1", "acme");
    assertThat(h.provider.submits).isEmpty();
    RenderFailed failed = (RenderFailed) h.events.get(0);
    assertThat(failed.getReason()).isEqualTo(FailureReason.BUDGET_EXHAUSTED);
    assertThat(failed.getAttempts()).isZero();
    assertThat(failed.getRetryable()).isTrue();
    assertThat(failed.getMessage()).contains("global budget 0.00 USD for 2026-11-25 reached");

    guard(Optional.of(new Cap(DIME, Period.DAY)), Map.of(), OnExhausted.FAIL, 0);
    send("j-1", "acme");
    assertThat(h.provider.submits).containsOnlyKeys("j-1");
  }

  @Test
  void anUnpaidSubmitIsRefundedAndACompletedOneReleasedWithItsCostInTheEvent() throws Exception {
    guard(Optional.of(new Cap(DIME, Period.DAY)), Map.of(), OnExhausted.WAIT, 0);
    h.provider.submitAnswers.add(
        new ProviderException.Retryable("HTTP 503", Optional.empty(), null));
    send("j-1", "acme");
    assertThat(journal)
        .extracting(SpendEntry::getKind)
        .containsExactly(SpendKind.RESERVED, SpendKind.REFUNDED, SpendKind.RESERVED);
    assertThat(book.spent(Optional.empty(), "2026-11-25")).isEqualTo(DIME);
    assertThat(h.job("j-1").getEstimatedCostMicros()).isEqualTo(DIME);

    h.clock.advance(Duration.ofSeconds(30));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(h.lastTicket());
    assertThat(journal).extracting(SpendEntry::getKind).endsWith(SpendKind.RELEASED);
    RenderCompleted done = (RenderCompleted) h.events.get(0);
    assertThat(done.getEstimatedCostMicros()).isEqualTo(DIME);
    assertThat(done.getCostCurrency()).isEqualTo("USD");
    assertThat(book.inFlight("acme")).isZero();
    assertThat(book.spent(Optional.empty(), "2026-11")).isEqualTo(DIME);
  }

  @Test
  void aTenantAtItsInFlightLimitWaitsWhileOthersGoOn() throws Exception {
    guard(Optional.empty(), Map.of(), OnExhausted.WAIT, 1);
    send("j-1", "acme");
    send("j-2", "acme");
    send("j-3", "globex");
    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-3");
    assertThat(h.job("j-1").getPhase()).isEqualTo(JobPhase.POLLING);

    h.clock.advance(Duration.ofSeconds(30));
    h.provider.pollAnswers.add(snapshot(TaskStatus.SUCCEEDED, "3"));
    h.run(h.lastTicketOf("j-1"));
    send("j-2", "acme");
    assertThat(h.provider.submits).containsOnlyKeys("j-1", "j-2", "j-3");
  }
}
