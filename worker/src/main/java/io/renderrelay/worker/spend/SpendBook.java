package io.renderrelay.worker.spend;

import io.renderrelay.avro.JobType;
import io.renderrelay.avro.SpendEntry;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fleet's spend as the journal says: estimated cost per tenant, job type and UTC day, and the
 * paid tasks in flight per tenant (reservations not yet released or refunded). Fed in journal order
 * by one reader; read by the submit steps. Memory: one sum per tenant, type and day read, one entry
 * per task in flight.
 */
public final class SpendBook {

  /** A sum's key. */
  public record Bucket(String tenant, JobType jobType, String day) {}

  private final Map<Bucket, Long> spent = new HashMap<>();
  private final Map<String, String> open = new HashMap<>();
  private final Map<String, Integer> inFlight = new HashMap<>();

  /** Applies one journal entry; an entry of a kind this release does not know changes nothing. */
  public synchronized void apply(SpendEntry e) {
    switch (e.getKind()) {
      case RESERVED -> {
        add(e, e.getCostMicros());
        if (open.put(e.getId(), e.getTenant()) == null) {
          inFlight.merge(e.getTenant(), 1, Integer::sum);
        }
      }
      case REFUNDED -> {
        add(e, -e.getCostMicros());
        close(e.getId());
      }
      case RELEASED -> close(e.getId());
      default -> {
        // a kind written by a newer release: nothing this one can book
      }
    }
  }

  /**
   * Spend in one period: a day ({@code 2026-12-06}) or a month ({@code 2026-12}), of one tenant or
   * (empty) of all.
   */
  public synchronized long spent(Optional<String> tenant, String period) {
    long sum = 0;
    for (Map.Entry<Bucket, Long> e : spent.entrySet()) {
      Bucket b = e.getKey();
      if (b.day().startsWith(period) && tenant.map(b.tenant()::equals).orElse(true)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  /** Paid tasks of {@code tenant} in flight across the fleet. */
  public synchronized int inFlight(String tenant) {
    return inFlight.getOrDefault(tenant, 0);
  }

  /** The sums of one period by tenant and job type, sorted (for reports). */
  public synchronized Map<Bucket, Long> report(Optional<String> tenant, String period) {
    Map<Bucket, Long> out =
        new TreeMap<>(
            java.util.Comparator.comparing(Bucket::tenant).thenComparing(b -> b.jobType().name()));
    spent.forEach(
        (b, v) -> {
          if (b.day().startsWith(period) && tenant.map(b.tenant()::equals).orElse(true)) {
            out.merge(new Bucket(b.tenant(), b.jobType(), period), v, Long::sum);
          }
        });
    return out;
  }

  /** Forgets the sums of days before {@code day} (yyyy-MM-dd): no cap counts them any more. */
  synchronized void forgetBefore(String day) {
    spent.keySet().removeIf(b -> b.day().compareTo(day) < 0);
  }

  private void add(SpendEntry e, long micros) {
    spent.merge(new Bucket(e.getTenant(), e.getJobType(), e.getDay()), micros, Long::sum);
  }

  private void close(String id) {
    String tenant = open.remove(id);
    if (tenant != null) {
      inFlight.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    }
  }
}
