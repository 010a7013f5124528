package io.renderrelay.worker.provider;

/**
 * Why a task failed, sorted once.
 *
 * @param moderation content moderation ({@code SAFETY.*}, "content"): terminal, never resubmitted
 * @param refunded the provider refunded the credits: a provider-side failure that may be
 *     resubmitted up to the configured count
 */
public record TaskFailure(boolean moderation, boolean refunded, String reason) {}
