package io.renderrelay.worker.job.core;

import io.renderrelay.worker.config.WorkerConfig.AmbiguousPolicy;
import java.time.Duration;

/**
 * The job rules the steps apply.
 *
 * @param submitRetryDelay wait before trying a submit again that the provider refused transiently
 *     (429, 503) or that waited for the submission gate
 * @param unresolvedSubmitWait how long a job found SUBMITTING without a task id (its owner stalled,
 *     was fenced or died between intent and answer) waits for that owner's word ({@code
 *     SubmitWord}) after its intent, on the fleet's timeline, before the ambiguous policy applies
 */
public record JobRules(
    Duration defaultDeadline,
    AmbiguousPolicy ambiguousPolicy,
    int maxResubmits,
    Duration taskNotFoundGrace,
    Duration submitRetryDelay,
    Duration unresolvedSubmitWait) {}
