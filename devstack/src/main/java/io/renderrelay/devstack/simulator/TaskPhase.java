package io.renderrelay.devstack.simulator;

import java.time.Instant;

/** The state of a {@link SimTask} at one instant. */
sealed interface TaskPhase {

  /** Whether the task has ended. */
  default boolean terminal() {
    return this instanceof Succeeded || this instanceof Failed;
  }

  /** Inside the task_not_exist window after submit. */
  record NotVisible() implements TaskPhase {}

  /** Accepted, not started. */
  record Queued() implements TaskPhase {}

  /** Rendering; progress 0..99. */
  record Running(int progressPercent) implements TaskPhase {}

  /** Done; outputs downloadable. */
  record Succeeded(Instant finishedAt) implements TaskPhase {}

  /** Failed; {@code moderation} tells a SAFETY failure from a refunded provider failure. */
  record Failed(Instant finishedAt, String reason, boolean moderation) implements TaskPhase {}
}
