package io.renderrelay.worker.ledger;

import io.renderrelay.avro.JobState;
import java.util.Optional;

/** Read access to the committed ledger of the owned partitions. */
public interface LedgerReader {

  Optional<JobState> get(int partition, String jobId);
}
