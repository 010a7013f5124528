package io.renderrelay.devstack.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** Plans a new task at submit: id, render time, outcome and quirks, all decided up front. */
final class TaskPlanner {
  static final String REFUNDED_REASON = "internal error: task failed, credits refunded";

  private final Clock clock;
  private final Dice dice;
  private final Faults faults;
  private final SimulatorConfig cfg;
  private final Supplier<Duration> renderOverride;

  TaskPlanner(
      Clock clock, Dice dice, Faults faults, SimulatorConfig cfg, Supplier<Duration> override) {
    this.clock = clock;
    this.dice = dice;
    this.faults = faults;
    this.cfg = cfg;
    this.renderOverride = override;
  }

  SimTask plan(JobKind kind, String callbackUrl, String prompt) {
    Instant now = clock.instant();
    Faults.Moderation moderation = faults.moderationFailures();
    SimTask.Outcome outcome = SimTask.Outcome.SUCCEEDED;
    String reason = "";
    if (moderation != null && dice.roll(moderation.probability())) {
      outcome = SimTask.Outcome.FAILED_MODERATION;
      reason = moderation.failReason();
    } else if (dice.roll(faults.failTasks())) {
      outcome = SimTask.Outcome.FAILED_REFUNDED;
      reason = REFUNDED_REASON;
    }
    Faults.UnknownStatus unknown = faults.unknownStatus();
    String unknownStatus =
        unknown != null && dice.roll(unknown.probability()) ? unknown.status() : null;
    return new SimTask(
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        kind,
        JobIds.fromCallbackUrl(callbackUrl),
        callbackUrl,
        prompt,
        now,
        now.plus(cfg.taskNotExistWindow()),
        renderTime(kind),
        outcome,
        reason,
        unknownStatus);
  }

  private Duration renderTime(JobKind kind) {
    Duration fixed = renderOverride.get();
    if (fixed != null) {
      return fixed;
    }
    Duration sampled = dice.sample(cfg.renderTime(kind));
    return Duration.ofNanos(Math.round(sampled.toNanos() * cfg.timeScale()));
  }
}
