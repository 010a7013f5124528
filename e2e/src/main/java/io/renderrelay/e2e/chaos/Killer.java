package io.renderrelay.e2e.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the plan's kills: picks the planned worker (or the next ready one when it is still
 * restarting), records what stage the victim's jobs were in, SIGKILLs it and has it started again.
 */
final class Killer {

  private static final Logger LOG = LoggerFactory.getLogger(Killer.class);
  private static final Duration WAIT_FOR_VICTIM = Duration.ofSeconds(20);
  private static final Duration MIN_UPTIME = Duration.ofSeconds(4);

  /**
   * One kill.
   *
   * @param at when, since the start of the run
   * @param instanceId the worker killed
   * @param stages its unfinished jobs by stage; empty when the group could not tell
   */
  public record KillRecord(Duration at, String instanceId, Optional<Map<Stage, Integer>> stages) {}

  private final WorkerFleet fleet;
  private final StageProbe probe;
  private final List<KillRecord> kills = new CopyOnWriteArrayList<>();
  private final List<Duration> skipped = new CopyOnWriteArrayList<>();

  public Killer(WorkerFleet fleet, StageProbe probe) {
    this.fleet = fleet;
    this.probe = probe;
  }

  /**
   * Kills as planned (one kill at a time); the victim must have been ready for a few seconds, so
   * that it holds partitions and work. A kill finding no such worker within 20 s is skipped.
   */
  public synchronized void kill(ChaosPlan.Kill k, Duration sinceStart) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_FOR_VICTIM.toNanos();
    Optional<Integer> victim = fleet.readyVictim(k.worker(), MIN_UPTIME);
    while (victim.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      victim = fleet.readyVictim(k.worker(), MIN_UPTIME);
    }
    if (victim.isEmpty()) {
      LOG.warn("kill at {} skipped: no worker was ready", sinceStart);
      skipped.add(sinceStart);
      return;
    }
    String id = fleet.instanceId(victim.get());
    Optional<Map<Stage, Integer>> stages = probe.victimStages(id);
    if (fleet.killAndRestart(victim.get(), k.downtime())) {
      kills.add(new KillRecord(sinceStart, id, stages));
    }
  }

  public List<KillRecord> kills() {
    return List.copyOf(kills);
  }

  public List<Duration> skipped() {
    return List.copyOf(skipped);
  }
}
