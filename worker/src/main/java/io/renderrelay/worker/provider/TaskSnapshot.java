package io.renderrelay.worker.provider;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * One normalised answer of Feed Get Task.
 *
 * @param rawStatus the provider's own status string, for events and logs
 * @param failure set when {@code status} is FAILED or CANCELLED
 * @param progressPercent 0..100 when the provider reports it
 * @param createdAt when the provider created the task, if it says
 * @param updatedAt the provider's last update (or finish, or start) time, if it says
 */
public record TaskSnapshot(
    String taskId,
    TaskStatus status,
    String rawStatus,
    Optional<URI> videoUrl,
    Optional<URI> posterUrl,
    Optional<URI> lastFrameUrl,
    Optional<TaskFailure> failure,
    Optional<String> prompt,
    Optional<String> promptEn,
    Optional<Integer> progressPercent,
    Optional<Instant> createdAt,
    Optional<Instant> updatedAt) {}
