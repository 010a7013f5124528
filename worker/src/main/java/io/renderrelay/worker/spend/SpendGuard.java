package io.renderrelay.worker.spend;

import io.renderrelay.avro.JobState;
import io.renderrelay.avro.SpendEntry;
import io.renderrelay.avro.SpendKind;
import io.renderrelay.worker.config.Money;
import io.renderrelay.worker.config.SpendSettings;
import io.renderrelay.worker.config.SpendSettings.Cap;
import io.renderrelay.worker.config.SpendSettings.OnExhausted;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget guard: decides before a paid submit's intent whether the fleet may spend on it.
 *
 * <p>Fleet-wide bound: a replica holds at most one reservation it has not yet read back from the
 * journal (one partition, one order). Take the admitted reservation whose decision saw the longest
 * journal prefix: every reservation after that prefix comes from a different replica (a replica's
 * second one would have been decided after reading back its first, so on a longer prefix), and the
 * prefix plus its own cost fit the cap. So the fleet overspends a cap by at most one task per other
 * replica, however many there are (docs/architecture.md#budgets).
 */
public final class SpendGuard {

  private static final Logger log = LoggerFactory.getLogger(SpendGuard.class);
  private static final Duration WAIT_SLICE = Duration.ofMillis(50);

  /** What {@link #check} decided. */
  public sealed interface Decision permits Go, Hold, Exhausted {}

  /** Spend may go on: write the claim's reservation with the intent, or cancel the claim. */
  public record Go(Claim claim) implements Decision {}

  /** Not now: a cap or in-flight limit holds the job back, or the journal is not read yet. */
  public record Hold(String why, HoldReason reason, String tenant) implements Decision {}

  /** A cap is reached and {@code spend.on-exhausted=fail}: the job fails unpaid. */
  public record Exhausted(String why) implements Decision {}

  /** Why a job is held. */
  public enum HoldReason {
    GLOBAL_CAP,
    TENANT_CAP,
    IN_FLIGHT,
    STARTING
  }

  /** This replica's one reservation not yet read back. */
  public record Claim(String id, String jobId, String tenant, long costMicros, Instant at) {}

  private final SpendSettings settings;
  private final Pricing pricing;
  private final SpendBook book;
  private final SpendJournal journal;
  private final SpendListener listener;
  private final Clock clock;
  private final HeldJobs held;
  private final BooleanSupplier journalRead;
  // a ReentrantLock, not a monitor: a virtual thread waiting here must not pin its carrier (JDK 21)
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readBack = lock.newCondition();
  private Claim pending;

  public SpendGuard(
      SpendSettings settings,
      Pricing pricing,
      SpendBook book,
      SpendJournal journal,
      BooleanSupplier journalRead,
      SpendListener listener,
      Clock clock) {
    this.settings = settings;
    this.pricing = pricing;
    this.book = book;
    this.journal = journal;
    this.journalRead = journalRead;
    this.listener = listener;
    this.clock = clock;
    this.held = new HeldJobs(clock);
  }

  /** A guard that lets everything through and journals nothing (spend.enabled=false). */
  public static SpendGuard off(Clock clock) {
    Pricing pricing = new Pricing(SpendSettings.OFF);
    return new SpendGuard(
        SpendSettings.OFF, pricing, new SpendBook(), null, () -> true, SpendListener.NONE, clock);
  }

  public boolean enabled() {
    return settings.enabled();
  }

  public Pricing pricing() {
    return pricing;
  }

  /**
   * Decides for a QUEUED job about to take its submit permit. Waits (while {@code mayGo}) until
   * this replica's last reservation is read back, then checks the caps and the tenant's in-flight
   * limit against the fleet's journal.
   */
  public Decision check(JobState job, BooleanSupplier mayGo) throws InterruptedException {
    String tenant = pricing.tenant(job);
    if (!settings.enabled()) {
      return new Go(new Claim("", job.getJobId(), tenant, 0, clock.instant()));
    }
    lock.lock();
    try {
      awaitReadBack(mayGo);
      if (pending != null) {
        return hold(job, "waiting to read back this replica's last reservation", null, tenant);
      }
      if (!journalRead.getAsBoolean()) {
        return hold(job, "reading the spend journal", HoldReason.STARTING, tenant);
      }
      return decide(job, tenant);
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held and the journal read: the caps, then the tenant's in-flight limit. */
  private Decision decide(JobState job, String tenant) {
    Instant now = clock.instant();
    long cost = pricing.estimate(job);
    Optional<String> over = settings.globalCap().flatMap(c -> over(Optional.empty(), c, cost));
    HoldReason reason = HoldReason.GLOBAL_CAP;
    if (over.isEmpty()) {
      over =
          Optional.ofNullable(settings.tenantCaps().get(tenant))
              .flatMap(c -> over(Optional.of(tenant), c, cost));
      reason = HoldReason.TENANT_CAP;
    }
    if (over.isPresent()) {
      if (settings.onExhausted() == OnExhausted.FAIL) {
        held.release(job.getJobId());
        return new Exhausted(over.get());
      }
      return hold(job, over.get(), reason, tenant);
    }
    int limit = settings.tenantMaxInFlight();
    if (limit > 0 && book.inFlight(tenant) >= limit) {
      return hold(
          job,
          "tenant " + tenant + " has " + limit + " paid tasks in flight (its limit)",
          HoldReason.IN_FLIGHT,
          tenant);
    }
    held.release(job.getJobId());
    pending =
        new Claim(
            SpendJournal.reservationId(job.getJobId(), job.getSubmitAttempts() + 1),
            job.getJobId(),
            tenant,
            cost,
            now);
    return new Go(pending);
  }

  /** The claim will not be written (no submit permit): the next job may claim. */
  public void cancel(Claim claim) {
    lock.lock();
    try {
      if (pending == claim) {
        pending = null;
        readBack.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The reservation record of a claim, for the intent's transaction; empty when spend is off. */
  public Optional<ProducerRecord<byte[], byte[]>> reservation(Claim claim, JobState submitting) {
    return settings.enabled() ? Optional.of(journal.reserved(claim, submitting)) : Optional.empty();
  }

  /** The entry ending a job's reservation, if this move ends one (see SpendJournal#closing). */
  public Optional<ProducerRecord<byte[], byte[]>> closing(JobState before, JobState next) {
    return settings.enabled() ? journal.closing(before, next) : Optional.empty();
  }

  /** The journal reader saw {@code e}: this replica's own reservation clears its claim. */
  public void read(SpendEntry e) {
    if (!journal.writer().equals(e.getWriter())) {
      return;
    }
    if (e.getKind() == SpendKind.RESERVED) {
      listener.spent(e.getTenant(), e.getJobType(), e.getCostMicros());
      lock.lock();
      try {
        if (pending != null && pending.id().equals(e.getId())) {
          pending = null;
          readBack.signalAll();
        }
      } finally {
        lock.unlock();
      }
    } else if (e.getKind() == SpendKind.REFUNDED) {
      listener.refunded(e.getTenant(), e.getJobType(), e.getCostMicros());
    }
  }

  /** Share of a cap spent in its current period (tenant empty: the global cap). */
  double usedRatio(Optional<String> tenant) {
    Optional<Cap> cap =
        tenant.isEmpty()
            ? settings.globalCap()
            : Optional.ofNullable(settings.tenantCaps().get(tenant.get()));
    if (cap.isEmpty()) {
      return 0;
    }
    long spent = book.spent(tenant, Periods.of(cap.get().period(), clock.instant()));
    return cap.get().micros() == 0 ? (spent > 0 ? 1.0 : 0) : (double) spent / cap.get().micros();
  }

  /** Jobs this replica holds back now. */
  public int heldJobs() {
    return held.count();
  }

  /** The ids of the jobs this replica holds back now. */
  public java.util.Set<String> heldJobIds() {
    return held.ids();
  }

  /** The fleet's spend in a period (a day or a month) as the journal read so far says. */
  public long spent(String period) {
    return book.spent(Optional.empty(), period);
  }

  private void awaitReadBack(BooleanSupplier mayGo) throws InterruptedException {
    while (pending != null && mayGo.getAsBoolean()) {
      if (clock.instant().isAfter(pending.at().plus(settings.readBackTimeout()))) {
        log.warn(
            "reservation {} not read back from {} within {}: assuming its transaction aborted",
            pending.id(),
            journal.topic(),
            settings.readBackTimeout());
        pending = null;
        return;
      }
      readBack.await(WAIT_SLICE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The cap's excess message if {@code cost} more would go over it, else empty. */
  private Optional<String> over(Optional<String> tenant, Cap cap, long cost) {
    String period = Periods.of(cap.period(), clock.instant());
    long spent = book.spent(tenant, period);
    // spent + cost <= cap, written so that a huge cost cannot wrap around below the cap
    if (cost <= cap.micros() && spent <= cap.micros() - cost) {
      return Optional.empty();
    }
    String scope = tenant.map(t -> "tenant " + t).orElse("global");
    boolean first = held.exhausted(scope + " " + period);
    String why =
        String.format(
            "%s budget %s %s for %s reached: spent %s, next task %s",
            scope,
            Money.format(cap.micros()),
            pricing.currency(),
            period,
            Money.format(spent),
            Money.format(cost));
    if (first) {
      log.warn("{}; submits in that scope wait (polls and copies go on)", why);
    }
    return Optional.of(why);
  }

  private Decision hold(JobState job, String why, HoldReason reason, String tenant) {
    if (reason != null) {
      held.hold(job.getJobId());
      listener.held(tenant, reason);
    }
    return new Hold(why, reason, tenant);
  }
}
