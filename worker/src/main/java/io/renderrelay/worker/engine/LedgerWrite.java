package io.renderrelay.worker.engine;

import io.renderrelay.avro.JobState;
import java.util.Optional;

/** A ledger entry to apply locally once its transaction commits; empty state = tombstone. */
public record LedgerWrite(int partition, String jobId, Optional<JobState> state) {}
