package io.renderrelay.worker.job;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import java.time.Duration;

/**
 * The job rules the steps apply.
 *
 * @param submitRetryDelay wait before trying a submit again that the provider refused transiently
 *     (429, 503) or that waited for the submission gate
 */
public record JobRules(
    Duration defaultDeadline,
    AmbiguousPolicy ambiguousPolicy,
    int maxResubmits,
    Duration taskNotFoundGrace,
    Duration submitRetryDelay) {}
