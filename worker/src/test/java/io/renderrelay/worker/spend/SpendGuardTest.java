package io.renderrelay.worker.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.renderrelay.avro.JobPhase;
import io.renderrelay.avro.JobState;
import io.renderrelay.avro.JobType;
import io.renderrelay.avro.ReleasedSchemas;
import io.renderrelay.avro.RestyleCommand;
import io.renderrelay.avro.RestyleOptions;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.testing.MutableClock;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.config.SpendSettings.Cap;
import io.renderrelay.worker.config.SpendSettings.OnExhausted;
import io.renderrelay.worker.config.SpendSettings.Period;
import io.renderrelay.worker.config.SpendSettings.Price;
import io.renderrelay.worker.ledger.InternalCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fleet-wide bound of the budget guard: replicas that read the one journal at any pace
 * overspend a cap by at most one task per other replica.
 */
class SpendGuardTest {

  private static final long PRICE = 100_000;
  private static final long CAP = 1_000_000;
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final InternalCodec<SpendEntry> codec =
      InternalCodec.spendEntries(ReleasedSchemas.load());

  /** One replica: its guard, its view of the journal and how far it has read. */
  private final class Replica {
    final SpendBook book = new SpendBook();
    final SpendGuard guard;
    int read;

    Replica(String id, SpendSettings s) {
      Pricing pricing = new Pricing(s);
      guard =
          new SpendGuard(
              s,
              pricing,
              book,
              new SpendJournal("render.spend", id, codec, pricing),
              () -> true,
              SpendListener.NONE,
              clock);
    }
  }

  private static SpendSettings settings(List<Price> prices, Optional<Cap> cap) {
    return new SpendSettings(
        true,
        "render.spend",
        "USD",
        prices,
        Duration.ofSeconds(10),
        "tenant",
        cap,
        Map.of(),
        OnExhausted.WAIT,
        0,
        20,
        Duration.ofMinutes(5));
  }

  private static SpendSettings settings(Optional<Cap> cap, int inFlight) {
    return new SpendSettings(
        true,
        "render.spend",
        "USD",
        List.of(new Price("restyle", Optional.empty(), PRICE, 0)),
        Duration.ofSeconds(10),
        "tenant",
        cap,
        Map.of(),
        OnExhausted.WAIT,
        inFlight,
        20,
        Duration.ofMinutes(5));
  }

  private static JobState job(String id) {
    return JobState.newBuilder()
        .setJobId(id)
        .setJobType(JobType.RESTYLE)
        .setPhase(JobPhase.QUEUED)
        .setRestyle(
            RestyleCommand.newBuilder()
                .setJobId(id)
                .setSourceVideoUrl("https://cdn.example.com/in.mp4")
                .setPrompt("p")
                .setOptions(RestyleOptions.newBuilder().build())
                .setMetadata(Map.of("tenant", "acme"))
                .setRequestedAt(NOW)
                .build())
        .setCreatedAt(NOW)
        .setUpdatedAt(NOW)
        .setDeadline(NOW.plus(Duration.ofHours(2)))
        .build();
  }

  @Test
  void replicasReadingAtAnyPaceOverspendByAtMostOneTaskPerOtherReplica() throws Exception {
    for (int replicas : new int[] {1, 3, 8}) {
      for (long seed = 0; seed < 40; seed++) {
        long spent = simulate(replicas, new Random(seed));
        assertThat(spent)
            .as("%d replicas, seed %d", replicas, seed)
            .isLessThanOrEqualTo(CAP + (replicas - 1) * PRICE);
      }
    }
  }

  /** Random interleavings of reads and submit checks; returns the fleet's spend. */
  private long simulate(int count, Random random) throws Exception {
    List<SpendEntry> journal = new ArrayList<>();
    List<Replica> fleet = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      fleet.add(new Replica("w-" + i, settings(Optional.of(new Cap(CAP, Period.DAY)), 0)));
    }
    int jobs = 0;
    for (int step = 0; step < 2000; step++) {
      Replica r = fleet.get(random.nextInt(count));
      if (random.nextInt(3) > 0 && r.read < journal.size()) {
        SpendEntry e = journal.get(r.read++);
        r.book.apply(e);
        r.guard.read(e);
        continue;
      }
      JobState job = job("j-" + jobs++);
      // never blocks: a replica with a reservation not yet read back is told to wait
      if (r.guard.check(job, () -> false) instanceof SpendGuard.Go go) {
        JobState submitting =
            JobState.newBuilder(job).setPhase(JobPhase.SUBMITTING).setSubmitAttempts(1).build();
        journal.add(
            codec.decode(r.guard.reservation(go.claim(), submitting).orElseThrow().value()));
      }
    }
    SpendBook all = new SpendBook();
    journal.forEach(all::apply);
    return all.spent(Optional.empty(), "2026-12-06");
  }

  @Test
  void oneReplicaNeverGoesOverTheCap() throws Exception {
    for (long seed = 0; seed < 20; seed++) {
      assertThat(simulate(1, new Random(seed))).isLessThanOrEqualTo(CAP);
    }
  }

  @Test
  void aReplicaWaitsForItsOwnReservationBeforeTheNext() throws Exception {
    Replica r = new Replica("w-1", settings(Optional.empty(), 0));
    var first = r.guard.check(job("j-1"), () -> true);
    assertThat(first).isInstanceOf(SpendGuard.Go.class);
    assertThat(r.guard.check(job("j-2"), () -> false)).isInstanceOf(SpendGuard.Hold.class);
    r.guard.cancel(((SpendGuard.Go) first).claim());
    assertThat(r.guard.check(job("j-2"), () -> false)).isInstanceOf(SpendGuard.Go.class);
  }

  @Test
  void aHugePerSecondPriceHoldsTheJobInsteadOfOverflowingIntoANegativeCost() throws Exception {
    // 10^12 a second (10^18 millionths, a valid amount) times the assumed 10 s overflows a long
    SpendSettings s =
        settings(
            List.of(new Price("restyle", Optional.empty(), 0, 1_000_000_000_000_000_000L)),
            Optional.of(new Cap(CAP, Period.DAY)));
    Replica r = new Replica("w-1", s);
    assertThat(new Pricing(s).estimate(job("j-1"))).isPositive();
    assertThat(r.guard.check(job("j-1"), () -> false)).isInstanceOf(SpendGuard.Hold.class);
  }

  @Test
  void aCostThatWouldOverflowTheSumIsHeldNotAdmitted() throws Exception {
    SpendSettings s =
        settings(
            List.of(new Price("restyle", Optional.empty(), Long.MAX_VALUE - 10, 0)),
            Optional.of(new Cap(Long.MAX_VALUE - 5, Period.DAY)));
    Replica r = new Replica("w-1", s);
    r.book.apply(
        SpendEntry.newBuilder()
            .setId("j-0#1")
            .setJobId("j-0")
            .setKind(io.renderrelay.avro.SpendKind.RESERVED)
            .setTenant("acme")
            .setJobType(JobType.RESTYLE)
            .setCostMicros(100)
            .setCurrency("USD")
            .setDay("2026-12-06")
            .setMonth("2026-12")
            .setAt(NOW)
            .setWriter("w-2")
            .build());
    assertThat(r.guard.check(job("j-1"), () -> false)).isInstanceOf(SpendGuard.Hold.class);
  }

  @Test
  void aFullDayOrMonthCapOpensAgainAtUtcMidnightAndAtTheMonthsEnd() throws Exception {
    for (Period period : Period.values()) {
      MutableClock injected = new MutableClock(Instant.parse("2026-12-31T23:59:59.999Z"));
      SpendSettings s =
          settings(
              List.of(new Price("restyle", Optional.empty(), PRICE, 0)),
              Optional.of(new Cap(PRICE, period)));
      Pricing pricing = new Pricing(s);
      SpendBook book = new SpendBook();
      SpendJournal journal = new SpendJournal("render.spend", "w-1", codec, pricing);
      SpendGuard g =
          new SpendGuard(s, pricing, book, journal, () -> true, SpendListener.NONE, injected);
      JobState first = job("j-1");
      SpendGuard.Go go = (SpendGuard.Go) g.check(first, () -> false);
      JobState submitting =
          JobState.newBuilder(first)
              .setPhase(JobPhase.SUBMITTING)
              .setSubmitAttempts(1)
              .setUpdatedAt(injected.instant())
              .build();
      SpendEntry e = codec.decode(g.reservation(go.claim(), submitting).orElseThrow().value());
      book.apply(e);
      g.read(e);
      assertThat(g.check(job("j-2"), () -> false))
          .as(period.name())
          .isInstanceOf(SpendGuard.Hold.class);
      injected.advance(Duration.ofMillis(1)); // 2027-01-01T00:00:00Z
      assertThat(g.check(job("j-2"), () -> false))
          .as(period.name())
          .isInstanceOf(SpendGuard.Go.class);
    }
  }

  @Test
  void aReservationNeverReadBackIsGivenUpAfterTheTimeout() throws Exception {
    SpendSettings s = settings(Optional.empty(), 0);
    MutableClock moving = new MutableClock(NOW);
    Pricing pricing = new Pricing(s);
    SpendGuard g =
        new SpendGuard(
            s,
            pricing,
            new SpendBook(),
            new SpendJournal("render.spend", "w-1", codec, pricing),
            () -> true,
            SpendListener.NONE,
            moving);
    assertThat(g.check(job("j-1"), () -> true)).isInstanceOf(SpendGuard.Go.class);
    moving.advance(Duration.ofMinutes(6)); // the intent's transaction aborted
    assertThat(g.check(job("j-2"), () -> true)).isInstanceOf(SpendGuard.Go.class);
  }
}
