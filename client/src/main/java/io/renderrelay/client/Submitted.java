package io.renderrelay.client;

/**
 * A command the broker has acknowledged (and, for a transactional publisher, committed).
 *
 * @param jobId the job id, caller-chosen or generated; the key of every later event of the job
 * @param topic the topic written to
 * @param partition the partition written to
 * @param offset the record's offset
 */
public record Submitted(String jobId, String topic, int partition, long offset) {}
