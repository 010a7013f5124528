package io.renderrelay.e2e.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The seeded schedule of a chaos run: when each job is published, and when each fault happens. The
 * same settings give the same plan. Kills are stratified (one at a random moment in each of {@code
 * kills} equal slots of the window) so they are dense and spread over every stage; fault bursts
 * take turns over all kinds.
 *
 * @param jobs the jobs in publish order
 * @param actions every fault, ordered by time
 */
record ChaosPlan(List<PlannedJob> jobs, List<Action> actions) {

  /** One command to publish {@code at} after the start. */
  public record PlannedJob(String jobId, boolean actOne, Duration at) {}

  /** The provider faults a burst can switch on. */
  public enum BurstKind {
    RATE_429,
    RATE_5XX,
    SLOW_ANSWERS,
    LOST_CALLBACKS,
    DUPLICATE_CALLBACKS
  }

  /** One fault, {@code at} after the start. */
  public sealed interface Action permits Kill, BrokerRestart, S3Pause, Burst {
    Duration at();
  }

  /** SIGKILL worker {@code worker} (index), start it again after {@code downtime}. */
  public record Kill(Duration at, int worker, Duration downtime) implements Action {}

  /** Restart the Kafka broker. */
  public record BrokerRestart(Duration at) implements Action {}

  /** S3 unreachable for {@code duration}. */
  public record S3Pause(Duration at, Duration duration) implements Action {}

  /** A provider fault with {@code probability} for {@code duration}. */
  public record Burst(Duration at, Duration duration, BurstKind kind, double probability)
      implements Action {}

  /** The plan of {@code settings}. */
  public static ChaosPlan of(ChaosSettings settings) {
    Random rnd = new Random(settings.seed());
    long w = settings.window().toMillis();
    List<PlannedJob> jobs = jobs(settings, rnd, w);
    List<Action> actions = new ArrayList<>();
    actions.addAll(kills(settings, rnd, w));
    if (settings.brokerRestart()) {
      actions.add(new BrokerRestart(ms(between(rnd, w * 0.35, w * 0.5))));
    }
    if (settings.s3Pause().isPositive()) {
      actions.add(new S3Pause(ms(between(rnd, w * 0.5, w * 0.6)), settings.s3Pause()));
    }
    actions.addAll(bursts(rnd, w));
    actions.sort(Comparator.comparing(Action::at));
    return new ChaosPlan(List.copyOf(jobs), List.copyOf(actions));
  }

  private static List<PlannedJob> jobs(ChaosSettings s, Random rnd, long w) {
    double publishWindow = w * 0.85;
    double gap = publishWindow / s.jobs();
    HexFormat hex = HexFormat.of();
    List<PlannedJob> jobs = new ArrayList<>(s.jobs());
    for (int i = 0; i < s.jobs(); i++) {
      byte[] tag = new byte[6];
      rnd.nextBytes(tag);
      String id = String.format("chaos-%d-%05d-%s", s.seed(), i, hex.formatHex(tag));
      jobs.add(new PlannedJob(id, rnd.nextBoolean(), ms(gap * i + rnd.nextDouble() * gap)));
    }
    return jobs;
  }

  private static List<Kill> kills(ChaosSettings s, Random rnd, long w) {
    double from = w * 0.06;
    double slot = (w * 0.9 - from) / Math.max(1, s.kills());
    List<Kill> kills = new ArrayList<>();
    for (int i = 0; i < s.kills(); i++) {
      double at = from + slot * i + rnd.nextDouble() * slot * 0.8;
      kills.add(
          new Kill(ms(at), rnd.nextInt(s.workers()), Duration.ofMillis(300 + rnd.nextInt(2200))));
    }
    return kills;
  }

  private static List<Burst> bursts(Random rnd, long w) {
    int n = (int) Math.max(5, Math.min(40, w / 20_000));
    List<BurstKind> kinds = new ArrayList<>();
    while (kinds.size() < n) {
      List<BurstKind> round = new ArrayList<>(List.of(BurstKind.values()));
      Collections.shuffle(round, rnd);
      kinds.addAll(round);
    }
    double from = w * 0.04;
    double slot = (w * 0.9 - from) / n;
    List<Burst> bursts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BurstKind kind = kinds.get(i);
      double length = slot * between(rnd, 0.4, 0.7);
      double at = from + slot * i + rnd.nextDouble() * (slot - length);
      bursts.add(new Burst(ms(at), ms(length), kind, probability(kind, rnd)));
    }
    return bursts;
  }

  private static double probability(BurstKind kind, Random rnd) {
    return switch (kind) {
      case RATE_429 -> between(rnd, 0.2, 0.5);
      case RATE_5XX -> between(rnd, 0.05, 0.15);
      case SLOW_ANSWERS -> between(rnd, 0.2, 0.5);
      case LOST_CALLBACKS -> between(rnd, 0.5, 1.0);
      case DUPLICATE_CALLBACKS -> between(rnd, 0.5, 1.0);
    };
  }

  /** Counts of actions by type, e.g. for the run's opening line. */
  public String summary() {
    long kills = actions.stream().filter(a -> a instanceof Kill).count();
    long bursts = actions.stream().filter(a -> a instanceof Burst).count();
    long restarts = actions.stream().filter(a -> a instanceof BrokerRestart).count();
    long pauses = actions.stream().filter(a -> a instanceof S3Pause).count();
    return "jobs="
        + jobs.size()
        + " kills="
        + kills
        + " broker_restarts="
        + restarts
        + " s3_pauses="
        + pauses
        + " provider_bursts="
        + bursts;
  }

  private static double between(Random rnd, double lo, double hi) {
    return lo + rnd.nextDouble() * (hi - lo);
  }

  private static Duration ms(double millis) {
    return Duration.ofMillis(Math.round(millis));
  }
}
