package io.renderrelay.worker.provider;

import java.net.URI;
import java.util.Optional;

/**
 * One normalised answer of Feed Get Task.
 *
 * @param rawStatus the provider's own status string, for events and logs
 * @param failure set when {@code status} is FAILED or CANCELLED
 * @param progressPercent 0..100 when the provider reports it
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
    Optional<Integer> progressPercent) {}
